// pending_files.c — the temporary files of atomic writes in progress, and the signal handler
// that removes them when Ctrl-C (SIGINT) or SIGTERM ends the process.
//
// Why C: a signal can arrive between any two instructions, also inside malloc or while a lock
// is held, so a handler may only call async-signal-safe functions (POSIX lists them: unlink,
// sigaction, raise are; malloc, printf and the Swift runtime are not). So the paths live in a
// fixed table prepared *before* the signal, and the handler only reads it:
//   - each slot has a state (free → being filled → armed) changed with C11 atomics; the
//     handler unlinks armed slots only, so it never sees a half-copied path;
//   - after unlinking, the handler restores the default disposition and re-raises the
//     signal, so the process still ends "killed by SIGINT" as the shell expects.
// SIGKILL cannot be caught; the files it leaves are removed by the next atomic write in that
// folder (AtomicFile+Cleanup.swift: the creating PID is in the name).
#include "cic_pending_files.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

enum { SLOTS = 64, PATH_CAPACITY = 4096 };
enum { FREE = 0, FILLING = 1, ARMED = 2 };

static _Atomic int states[SLOTS];
static char paths[SLOTS][PATH_CAPACITY];
static atomic_flag installed = ATOMIC_FLAG_INIT;
static struct sigaction previous_int, previous_term;

static void chain(const struct sigaction *previous, int signal_number, siginfo_t *info, void *context) {
    if (previous->sa_flags & SA_SIGINFO) previous->sa_sigaction(signal_number, info, context);
    else previous->sa_handler(signal_number);
}

static void handler(int signal_number, siginfo_t *info, void *context) {
    const struct sigaction *previous = signal_number == SIGINT ? &previous_int : &previous_term;
    // The program handles this signal itself (and goes on): leave its files alone.
    if ((previous->sa_flags & SA_SIGINFO) || (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN)) {
        chain(previous, signal_number, info, context);
        return;
    }
    int saved_errno = errno;
    for (int i = 0; i < SLOTS; i++) {
        if (atomic_load(&states[i]) == ARMED) unlink(paths[i]);
    }
    errno = saved_errno;
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signal_number, &fallback, NULL);
    raise(signal_number);   // delivered when the handler returns (the signal is blocked until then)
}

static void install(int signal_number, struct sigaction *previous) {
    struct sigaction current;
    if (sigaction(signal_number, NULL, &current) != 0) return;
    if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_IGN) return;   // stays ignored
    struct sigaction ours;
    memset(&ours, 0, sizeof ours);
    ours.sa_sigaction = handler;
    ours.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&ours.sa_mask);
    *previous = current;   // written before ours is installed: the handler reads it
    sigaction(signal_number, &ours, NULL);
}

void cic_pending_install_handlers(void) {
    if (atomic_flag_test_and_set(&installed)) return;
    install(SIGINT, &previous_int);
    install(SIGTERM, &previous_term);
}

int cic_pending_add(const char *path) {
    size_t length = strlen(path);
    if (length >= PATH_CAPACITY) return -1;
    for (int i = 0; i < SLOTS; i++) {
        int expected = FREE;
        if (atomic_compare_exchange_strong(&states[i], &expected, FILLING)) {
            memcpy(paths[i], path, length + 1);
            atomic_store(&states[i], ARMED);
            return i;
        }
    }
    return -1;
}

void cic_pending_remove(int slot) {
    if (slot >= 0 && slot < SLOTS) atomic_store(&states[slot], FREE);
}
