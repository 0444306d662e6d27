/*
 * bench/scale helper (performance.md §8.3): N small processes standing in for QEMU, each with a main
 * thread and 2 more threads ("vCPUs"), so every simulated domain has its own /proc/PID/stat and
 * /proc/PID/task/TID/{stat,sched,schedstat} from the real kernel. Prints "PID TID0 TID1" per line, then
 * "ready"; every child dies with this process (PR_SET_PDEATHSIG) and the process exits on SIGTERM or
 * when stdin closes. Idle: every thread sleeps in pause().
 *
 *   cc -O2 -pthread -o procs procs.c && ./procs N
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int fds[2];

static void *vcpu(void *arg) {
  (void)arg;
  pid_t tid = (pid_t)syscall(SYS_gettid);
  if (write(fds[1], &tid, sizeof tid) != sizeof tid) _exit(1);
  for (;;) pause();
  return NULL;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  if (n <= 0) { fprintf(stderr, "usage: procs N\n"); return 2; }
  pid_t parent = getpid();
  for (int i = 0; i < n; i++) {
    if (pipe(fds) != 0) { perror("pipe"); return 1; }
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(0);
      close(fds[0]);
      pthread_attr_t attr;
      pthread_attr_init(&attr);
      pthread_attr_setstacksize(&attr, 64 * 1024);
      pthread_t t[2];
      for (int k = 0; k < 2; k++) pthread_create(&t[k], &attr, vcpu, NULL);
      for (;;) pause();
    }
    close(fds[1]);
    pid_t tids[2];
    for (int k = 0; k < 2; k++) {
      if (read(fds[0], &tids[k], sizeof tids[k]) != sizeof tids[k]) { fprintf(stderr, "child %d died\n", pid); return 1; }
    }
    close(fds[0]);
    printf("%d %d %d\n", pid, tids[0], tids[1]);
  }
  printf("ready\n");
  fflush(stdout);
  /* Exit (taking the children with us) when the runner closes our stdin or sends SIGTERM. */
  char c;
  while (read(0, &c, 1) > 0) {}
  return 0;
}
