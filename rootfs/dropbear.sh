# shellcheck shell=sh
# Dropbear SSH for dom0 and the Tiny guest: built in stage "programs",
# installed in dom0 by stage "rootfs".
#
# Makes, in the stage folder:
#   dropbearmulti   Debian's dropbear source built with musl-gcc, static,
#                   one multi-call binary: dropbear, dbclient, dropbearkey,
#                   scp (guest recipes take it from here, like busybox)
# and in the dom0 root: /usr/bin/dropbearmulti, with the links
# /usr/sbin/dropbear and /usr/bin/{dbclient,dropbearkey,scp}.
#
# Passwords (/etc/shadow, SHA-512) are checked with crypt().  Debian's
# musl-dev leaves crypt() out of libc.a, so musl's own crypt sources, from
# Debian's musl source package of the same version, are built into a
# small libcrypt.a that dropbear links.  $MUSL_GCC is programs_musl_gcc's.

DROPBEAR_PROGRAMS="dropbear dbclient dropbearkey scp"

# dropbear_libcrypt DIR: musl's crypt() as DIR/libcrypt.a.
dropbear_libcrypt() {
    musl=$FETCH/src/musl
    have=$(sed -n 's/^musl-dev=//p' "$FETCH/manifest" | sed 's/-[^-]*$//')
    got=$(sed -n 's/^musl-source=//p' "$FETCH/manifest" | sed 's/-[^-]*$//')
    # crypt's sources use musl's internal headers over the installed ones:
    # both must be the same release.
    [ "$have" = "$got" ] ||
        die "stage programs: the fetched musl-dev is '$have' but the fetched musl source is '$got'; they must match"
    mkdir -p "$1"
    for f in crypt crypt_r crypt_des crypt_md5 crypt_blowfish crypt_sha256 crypt_sha512; do
        # The flags musl's own build uses for libc; src/include holds the
        # internal headers (crypt.h with the __crypt_* declarations).
        # shellcheck disable=SC2086 # MUSL_GCC is a command and its options
        run $MUSL_GCC $PREFIX_MAP -std=c99 -ffreestanding -D_XOPEN_SOURCE=700 -Os \
            -I "$musl/src/include" -c "$musl/src/crypt/$f.c" -o "$1/$f.o"
    done
    run ar rcs "$1/libcrypt.a" "$1"/*.o
}

programs_dropbear() {
    step "build dropbear with musl-gcc (static, multi-call: $DROPBEAR_PROGRAMS)"
    b=$W/dropbear-build
    mkdir -p "$b"
    dropbear_libcrypt "$b/crypt"
    # Built outside the source tree, which belongs to the fetch stage.
    # --enable-bundled-libtom: Debian's libtomcrypt is built for glibc.
    # --disable-zlib: no compression, no zlib to link.
    # --disable-lastlog ... --disable-pututxline: a RAM root has no login
    # records.  LDFLAGS: configure finds -lcrypt (musl's crypt) there, and
    # -static from the start: configure runs its test programs, and a
    # dynamic musl program needs musl's loader (/lib/ld-musl-x86_64.so.1),
    # which a fresh Debian 12 host does not have ("cannot run C compiled
    # programs"; --enable-static adds -static only after those tests).
    # PREFIX_MAP: its asserts name source files, without the cache's path.
    (cd "$b" && run env CC="$MUSL_GCC" CFLAGS="-Os $PREFIX_MAP" LDFLAGS="-static -L$b/crypt" \
        "$FETCH/src/dropbear/configure" \
        --enable-static --enable-bundled-libtom --disable-zlib --disable-pam \
        --disable-lastlog --disable-utmp --disable-utmpx --disable-wtmp --disable-wtmpx \
        --disable-loginfunc --disable-pututline --disable-pututxline)
    grep -q '^#define HAVE_CRYPT 1' "$b/config.h" ||
        die "stage programs: dropbear's configure found no crypt(): password logins would not work (see $LOG)"
    run make -C "$b" -j"$(nproc)" MULTI=1 PROGRAMS="$DROPBEAR_PROGRAMS"
    step "check dropbearmulti is static and makes an ed25519 key"
    # A program started on another root finds no loader or libraries there.
    if readelf -lW "$b/dropbearmulti" | grep -q INTERP ||
        readelf -dW "$b/dropbearmulti" | grep -q NEEDED; then
        die "stage programs: dropbearmulti is not static (it has an ELF interpreter or NEEDED libraries)"
    fi
    run strip -o "$W/dropbearmulti" "$b/dropbearmulti"
    run "$W/dropbearmulti" dropbearkey -t ed25519 -f "$b/test_key"
    "$W/dropbearmulti" dropbearkey -y -f "$b/test_key" 2>>"$LOG" | grep -q '^ssh-ed25519 ' ||
        die "stage programs: dropbearkey -y printed no ssh-ed25519 public key"
    rm -rf "$b"
}

rootfs_install_dropbear() {
    step "install dropbear and its links"
    install -m 755 "$PROGRAMS/dropbearmulti" "$R/usr/bin/dropbearmulti"
    for p in $DROPBEAR_PROGRAMS; do
        case $p in
            dropbear) ln -sf ../bin/dropbearmulti "$R/usr/sbin/$p" ;;
            *)        ln -sf dropbearmulti "$R/usr/bin/$p" ;;
        esac
    done
    # Where the host keys go (dropbear's default folder).
    mkdir -p "$R/etc/dropbear"
}
