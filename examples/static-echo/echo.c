/* The same echo server in C, for a size baseline: ci/cross.sh builds it
   static with each cross gcc and glibc (-Os -s -static) and prints its
   size beside the zerosock one. Not run: only its size is compared. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <errno.h>
int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 7878;
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 128)) return errno;
    char buf[4096];
    for (;;) {
        int c = accept4(s, 0, 0, SOCK_CLOEXEC);
        if (c < 0) continue;
        ssize_t n;
        while ((n = recv(c, buf, sizeof buf, 0)) > 0) {
            ssize_t off = 0;
            while (off < n) { ssize_t w = send(c, buf + off, n - off, MSG_NOSIGNAL); if (w <= 0) goto done; off += w; }
        }
    done:
        close(c);
    }
}
