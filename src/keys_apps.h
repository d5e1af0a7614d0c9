/* keys_apps.h: the TUI's keys for applications in guests (apps.h): a
 * (one guest), A (every guest of an image), o (an SSH shell), and the
 * answers to their questions.  Outcomes go to the status line. */
#ifndef XENLIVE_KEYS_APPS_H
#define XENLIVE_KEYS_APPS_H

#include "view.h"

void KeysApps_app(View *v);
void KeysApps_appAll(View *v);
void KeysApps_shell(View *v);
/* Enter on VIEW_ASK_APP, VIEW_ASK_APP_IMAGE or VIEW_ASK_IMAGE_APP (other
 * modes: nothing).  The answer is "APP [ARGS...]" (words split at spaces)
 * or "!COMMAND" (run by the guest's sh -c). */
void KeysApps_answer(View *v, ViewMode asked);

#endif
