#ifndef HAWSER_BUILD_INFO_H
#define HAWSER_BUILD_INFO_H

/// The git commit the binary was built from, or "" when the build did not say.
/// scripts/package sets it: swift build -Xcc -DHAWSER_COMMIT='"<commit>"'.
const char *hawser_build_commit(void);

#endif
