#ifndef HAWSER_BUILD_INFO_H
#define HAWSER_BUILD_INFO_H

/// The git commit the binary was built from, or "" when the build did not say.
/// scripts/package sets it through hawser_commit.h (see BuildInfo.c).
const char *hawser_build_commit(void);

#endif
