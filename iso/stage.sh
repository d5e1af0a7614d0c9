# shellcheck shell=sh
