#include "HawserBuildInfo.h"

// A C target because a Swift build cannot take a string from the command line:
// -Xcc -D reaches this file, and nothing else is rebuilt when it changes.
#ifndef HAWSER_COMMIT
#define HAWSER_COMMIT ""
#endif

const char *hawser_build_commit(void) {
    return HAWSER_COMMIT;
}
