#include "HawserBuildInfo.h"

// A C target because a Swift build cannot take a string from the command line.
// scripts/package writes hawser_commit.h (`#define HAWSER_COMMIT "…"`) into a
// folder it passes with -Xcc -I: the flags stay the same from commit to commit,
// so only this file is rebuilt when the commit changes (a -D would rebuild
// every C file of every dependency).
#if __has_include("hawser_commit.h")
#include "hawser_commit.h"
#endif

#ifndef HAWSER_COMMIT
#define HAWSER_COMMIT ""
#endif

const char *hawser_build_commit(void) {
    return HAWSER_COMMIT;
}
