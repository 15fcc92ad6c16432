// cic_pending_files.h — remove the atomic writer's temporary files when SIGINT or SIGTERM ends
// the process (see pending_files.c).
//
// Lives in CImageCodecs because that is the package's C target: a signal handler has to be
// async-signal-safe, which Swift code cannot promise (the runtime may allocate or take locks).
#ifndef CIC_PENDING_FILES_H
#define CIC_PENDING_FILES_H

/// Installs the SIGINT/SIGTERM handler once (later calls do nothing). A signal whose
/// disposition is "ignore" stays ignored; a handler installed earlier by the program (e.g.
/// training's graceful stop) is called instead of removing the files, since the program then
/// goes on and finishes or abandons its writes itself.
void cic_pending_install_handlers(void);

/// Registers the temporary file `path` (copied) for removal by the handler. Returns a slot
/// number for `cic_pending_remove`, or -1 if the path is too long or all slots are taken (the
/// write then goes on unprotected; its file is cleaned as stale by a later write).
int cic_pending_add(const char *path);

/// Unregisters slot `slot` (after the rename, or after the writer removed the file itself).
void cic_pending_remove(int slot);

#endif
