/* The C twin of examples/http (zerosock): the same design, for wrk to
 * compare against. One thread, one edge-triggered epoll, a fixed table of
 * connections (allocated once), a 4 KiB input buffer and a 512-byte head
 * buffer per connection, openat2(RESOLVE_BENEATH) + fstat + sendfile per
 * GET, the head sent with MSG_MORE, TCP_NODELAY, keep-alive, pipelining,
 * the same request checks and the same no-progress deadline list.
 *
 *   cc -O2 -o twin benches/http/twin.c
 *   ./twin ADDR:PORT DIR [--capacity N] [--timeout-ms T] [--max-seconds S]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define IN_CAP 4096
#define HEAD_CAP 512
#define NAME_CAP 1024
#define EVENTS 256
#define NIL UINT32_MAX
#define TOK_LISTENER 0
#define SENDFILE_CHUNK (1ull << 30)

struct conn {
    int fd; /* -1: free */
    uint32_t gen;
    char in[IN_CAP];
    size_t in_start, in_end;
    char head[HEAD_CAP];
    size_t head_pos, head_len;
    int file;
    off_t file_pos, file_end;
    uint64_t discard;
    int close_after, draining;
    uint64_t deadline_ns;
    uint32_t prev, next;
};

static struct conn *conns;
static uint32_t *free_list;
static size_t nfree, capacity = 1024;
static uint32_t first = NIL, last = NIL;
static uint64_t timeout_ns = 10000000000ull;
static int epfd, listen_fd, root_fd;
static char date[30];
static time_t date_secs = -1;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void update_date(void) {
    time_t t = time(NULL);
    if (t != date_secs) {
        struct tm tm;
        date_secs = t;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    }
}

static void unlink_conn(uint32_t i) {
    struct conn *c = &conns[i];
    if (c->prev == NIL) first = c->next; else conns[c->prev].next = c->next;
    if (c->next == NIL) last = c->prev; else conns[c->next].prev = c->prev;
}

static void link_last(uint32_t i, uint64_t now) {
    struct conn *c = &conns[i];
    c->deadline_ns = now + timeout_ns;
    c->prev = last;
    c->next = NIL;
    if (last == NIL) first = i; else conns[last].next = i;
    last = i;
}

static void close_conn(uint32_t i) {
    struct conn *c = &conns[i];
    unlink_conn(i);
    close(c->fd);
    c->fd = -1;
    if (c->file >= 0) close(c->file);
    c->file = -1;
    c->gen++;
    free_list[nfree++] = i;
}

static int is_tchar(unsigned char b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
           (b && strchr("!#$%&'*+-.^_`|~", b));
}

static int is_token(const char *s, size_t n) {
    if (!n) return 0;
    for (size_t i = 0; i < n; i++) if (!is_tchar((unsigned char)s[i])) return 0;
    return 1;
}

static const char *status_line(int code) {
    switch (code) {
    case 200: return "200 OK";
    case 400: return "400 Bad Request";
    case 403: return "403 Forbidden";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 414: return "414 URI Too Long";
    case 431: return "431 Request Header Fields Too Large";
    case 501: return "501 Not Implemented";
    case 503: return "503 Service Unavailable";
    case 505: return "505 HTTP Version Not Supported";
    default: return "500 Internal Server Error";
    }
}

/* connection: 1 keep-alive, 0 close, -1 nothing */
static size_t write_head(char *out, int code, const char *type, uint64_t len, int connection) {
    int n = snprintf(out, HEAD_CAP,
                     "HTTP/1.1 %s\r\nServer: zerosock\r\nDate: %s\r\nContent-Type: %s\r\nContent-Length: %llu\r\n%s%s\r\n",
                     status_line(code), date, type, (unsigned long long)len,
                     connection == 1 ? "Connection: keep-alive\r\n" : connection == 0 ? "Connection: close\r\n" : "",
                     code == 405 ? "Allow: GET, HEAD\r\n" : "");
    return n < HEAD_CAP ? (size_t)n : 0;
}

static void answer_error(struct conn *c, int code, int head_only, int connection) {
    const char *line = status_line(code);
    size_t n = write_head(c->head, code, "text/plain; charset=utf-8", strlen(line) + 1, connection);
    if (!head_only) n += snprintf(c->head + n, HEAD_CAP - n, "%s\n", line);
    c->head_pos = 0;
    c->head_len = n;
    c->file_pos = c->file_end = 0;
}

static void refuse(struct conn *c, int code, int head_only) {
    c->discard = 0;
    c->close_after = 1;
    answer_error(c, code, head_only, 0);
}

static const char *content_type(const char *name) {
    static const char *types[][2] = {
        {"html", "text/html; charset=utf-8"}, {"htm", "text/html; charset=utf-8"},
        {"txt", "text/plain; charset=utf-8"}, {"css", "text/css"}, {"js", "text/javascript"},
        {"json", "application/json"}, {"xml", "application/xml"}, {"png", "image/png"},
        {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"gif", "image/gif"}, {"svg", "image/svg+xml"},
        {"ico", "image/x-icon"}, {"wasm", "application/wasm"}, {"pdf", "application/pdf"},
        {"webp", "image/webp"}};
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    if (!dot) return "application/octet-stream";
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcasecmp(dot + 1, types[i][0])) return types[i][1];
    return "application/octet-stream";
}

static int hexval(int ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Decodes the target path into name; returns 0 or an HTTP status. */
static int file_name(const char *path, size_t plen, char *name) {
    size_t len = 0;
    for (size_t i = 1; i < plen; i++) {
        int b = (unsigned char)path[i];
        if (b == '%') {
            int h = i + 1 < plen ? hexval(path[i + 1]) : -1, l = i + 2 < plen ? hexval(path[i + 2]) : -1;
            if (h < 0 || l < 0) return 400;
            b = h * 16 + l;
            i += 2;
        }
        if (b == 0) return 400;
        if (len + 1 + 10 >= NAME_CAP) return 414;
        name[len++] = (char)b;
    }
    name[len] = 0;
    if (name[0] == '/') return 403;
    for (size_t s = 0; s <= len;) {
        size_t e = s;
        while (e < len && name[e] != '/') e++;
        if (e - s == 2 && name[s] == '.' && name[s + 1] == '.') return 403;
        s = e + 1;
    }
    if (len == 0 || name[len - 1] == '/') memcpy(name + len, "index.html", 11);
    return 0;
}

static const char *find_crlfcrlf(const char *s, size_t n) {
    for (size_t i = 0; i + 3 < n; i++)
        if (s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == '\r' && s[i + 3] == '\n') return s + i;
    return NULL;
}

static void trim(const char **s, size_t *n) {
    while (*n && (**s == ' ' || **s == '\t')) (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) (*n)--;
}

/* Parses and prepares the next response: 1 if a request was taken. */
static int next_request(struct conn *c) {
    char *buf = c->in + c->in_start;
    size_t avail = c->in_end - c->in_start, skip = 0;
    while (avail - skip >= 2 && buf[skip] == '\r' && buf[skip + 1] == '\n') skip += 2;
    const char *end = find_crlfcrlf(buf + skip, avail - skip);
    if (!end) return 0;
    const char *head = buf + skip;
    size_t head_len = (size_t)(end - head) + 2, total = skip + (size_t)(end - head) + 4;
    const char *line_end = memmem(head, head_len, "\r\n", 2);
    size_t line_len = (size_t)(line_end - head);
    const char *sp1 = memchr(head, ' ', line_len);
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', line_len - (size_t)(sp1 + 1 - head)) : NULL;
    if (!sp1 || !sp2 || memchr(sp2 + 1, ' ', line_len - (size_t)(sp2 + 1 - head))) return refuse(c, 400, 0), 1;
    const char *method = head, *target = sp1 + 1, *version = sp2 + 1;
    size_t mlen = (size_t)(sp1 - head), tlen = (size_t)(sp2 - target), vlen = line_len - (size_t)(version - head);
    if (!is_token(method, mlen) || !tlen) return refuse(c, 400, 0), 1;
    for (size_t i = 0; i < tlen; i++)
        if ((unsigned char)target[i] < 0x21 || (unsigned char)target[i] > 0x7e) return refuse(c, 400, 0), 1;
    int head_only = mlen == 4 && !memcmp(method, "HEAD", 4);
    if (vlen != 8 || memcmp(version, "HTTP/", 5) || version[6] != '.' || version[5] < '0' || version[5] > '9' ||
        version[7] < '0' || version[7] > '9')
        return refuse(c, 400, head_only), 1;
    if (version[5] != '1') return refuse(c, 505, head_only), 1;
    int minor = version[7] - '0';
    int hosts = 0, te = 0, close_opt = 0, keep_opt = 0, have_cl = 0;
    uint64_t cl = 0;
    const char *p = line_end + 2, *hend = head + head_len;
    while (p < hend) {
        const char *nl = memchr(p, '\n', (size_t)(hend - p));
        if (!nl || nl == p || nl[-1] != '\r') return refuse(c, 400, head_only), 1;
        size_t flen = (size_t)(nl - 1 - p);
        const char *colon = memchr(p, ':', flen);
        if (!colon) return refuse(c, 400, head_only), 1;
        size_t nlen = (size_t)(colon - p);
        const char *v = colon + 1;
        size_t vl = flen - nlen - 1;
        trim(&v, &vl);
        if (!is_token(p, nlen) || memchr(v, '\r', vl) || memchr(v, 0, vl)) return refuse(c, 400, head_only), 1;
        if (nlen == 4 && !strncasecmp(p, "host", 4)) hosts++;
        else if (nlen == 14 && !strncasecmp(p, "content-length", 14)) {
            uint64_t n = 0;
            if (!vl || vl > 19) return refuse(c, 400, head_only), 1;
            for (size_t i = 0; i < vl; i++) {
                if (v[i] < '0' || v[i] > '9') return refuse(c, 400, head_only), 1;
                n = n * 10 + (uint64_t)(v[i] - '0');
            }
            if (have_cl && n != cl) return refuse(c, 400, head_only), 1;
            have_cl = 1, cl = n;
        } else if (nlen == 17 && !strncasecmp(p, "transfer-encoding", 17)) te = 1;
        else if (nlen == 10 && !strncasecmp(p, "connection", 10)) {
            const char *o = v;
            size_t left = vl;
            while (left) {
                const char *comma = memchr(o, ',', left);
                size_t olen = comma ? (size_t)(comma - o) : left;
                const char *t = o;
                size_t tl = olen;
                trim(&t, &tl);
                if (tl == 5 && !strncasecmp(t, "close", 5)) close_opt = 1;
                if (tl == 10 && !strncasecmp(t, "keep-alive", 10)) keep_opt = 1;
                if (!comma) break;
                left -= olen + 1, o = comma + 1;
            }
        }
        p = nl + 1;
    }
    if (hosts > 1 || (minor >= 1 && hosts == 0)) return refuse(c, 400, head_only), 1;
    if (te) return refuse(c, have_cl ? 400 : 501, head_only), 1;
    int get = mlen == 3 && !memcmp(method, "GET", 3);
    if (!get && !head_only) {
        static const char *known[] = {"POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
        for (size_t i = 0; i < 7; i++)
            if (strlen(known[i]) == mlen && !memcmp(method, known[i], mlen)) return refuse(c, 405, 0), 1;
        return refuse(c, 501, 0), 1;
    }
    const char *path = target;
    size_t plen = tlen;
    if (target[0] != '/') {
        size_t sl = tlen >= 7 && !strncasecmp(target, "http://", 7) ? 7 : tlen >= 8 && !strncasecmp(target, "https://", 8) ? 8 : 0;
        if (!sl) return refuse(c, 400, head_only), 1;
        const char *r = target + sl, *e = target + tlen;
        while (r < e && *r != '/' && *r != '?') r++;
        if (r < e && *r == '/') path = r, plen = (size_t)(e - r);
        else path = "/", plen = 1;
    }
    const char *q = memchr(path, '?', plen);
    if (q) plen = (size_t)(q - path);
    int keep_alive = !close_opt && (minor >= 1 || keep_opt);
    char name[NAME_CAP];
    int status = file_name(path, plen, name);
    c->in_start += total;
    c->discard = cl;
    c->close_after = !keep_alive;
    int connection = !keep_alive ? 0 : minor == 0 ? 1 : -1;
    if (status) return answer_error(c, status, head_only, connection), 1;
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    int fd = (int)syscall(SYS_openat2, root_fd, name, &how, sizeof how);
    if (fd < 0) {
        int e = errno;
        status = e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG ? 404
                 : e == EXDEV || e == ELOOP || e == EACCES || e == EPERM ? 403
                 : e == EMFILE || e == ENFILE || e == ENOMEM ? 503 : 500;
        return answer_error(c, status, head_only, connection), 1;
    }
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return answer_error(c, 403, head_only, connection), 1;
    }
    c->head_pos = 0;
    c->head_len = write_head(c->head, 200, content_type(name), (uint64_t)st.st_size, connection);
    if (get && st.st_size > 0) {
        c->file = fd, c->file_pos = 0, c->file_end = st.st_size;
    } else {
        close(fd);
    }
    return 1;
}

/* 1: bytes read, 0: EAGAIN, -1: EOF or error */
static int fill(struct conn *c) {
    for (;;) {
        ssize_t n = recv(c->fd, c->in + c->in_end, IN_CAP - c->in_end, 0);
        if (n > 0) return c->in_end += (size_t)n, 1;
        if (n == 0) return -1;
        if (errno == EAGAIN) return 0;
        if (errno != EINTR) return -1;
    }
}

/* 1: all sent, 0: EAGAIN, -1: error */
static int send_pending(struct conn *c, int *progress) {
    while (c->head_pos < c->head_len) {
        ssize_t n = send(c->fd, c->head + c->head_pos, c->head_len - c->head_pos,
                         MSG_NOSIGNAL | (c->file_pos < c->file_end ? MSG_MORE : 0));
        if (n >= 0) c->head_pos += (size_t)n, *progress = 1;
        else if (errno == EAGAIN) return 0;
        else if (errno != EINTR) return -1;
    }
    while (c->file_pos < c->file_end) {
        uint64_t left = (uint64_t)(c->file_end - c->file_pos);
        ssize_t n = sendfile(c->fd, c->file, &c->file_pos, left < SENDFILE_CHUNK ? left : SENDFILE_CHUNK);
        if (n > 0) *progress = 1;
        else if (n == 0) return -1;
        else if (errno == EAGAIN) return 0;
        else if (errno != EINTR) return -1;
    }
    return 1;
}

/* Runs the connection until it waits; 0 to close it. */
static int serve(struct conn *c, int *progress) {
    for (;;) {
        if (c->draining) {
            for (;;) {
                c->in_start = c->in_end = 0;
                int r = fill(c);
                if (r == 0) return 1;
                if (r < 0) return 0;
            }
        }
        if (c->head_pos < c->head_len || c->file_pos < c->file_end) {
            int r = send_pending(c, progress);
            if (r == 0) return 1;
            if (r < 0) return 0;
            if (c->file >= 0) close(c->file), c->file = -1;
            *progress = 1;
            if (c->close_after) {
                if (shutdown(c->fd, SHUT_WR)) return 0;
                c->draining = 1;
                continue;
            }
        }
        if (c->discard) {
            uint64_t n = c->in_end - c->in_start;
            if (n > c->discard) n = c->discard;
            c->in_start += n, c->discard -= n;
            if (c->discard) {
                c->in_start = c->in_end = 0;
                int r = fill(c);
                if (r == 0) return 1;
                if (r < 0) return 0;
                continue;
            }
        }
        if (!next_request(c)) {
            if (c->in_start) {
                memmove(c->in, c->in + c->in_start, c->in_end - c->in_start);
                c->in_end -= c->in_start, c->in_start = 0;
            }
            if (c->in_end == IN_CAP) {
                refuse(c, 431, 0);
                continue;
            }
            int r = fill(c);
            if (r == 0) return 1;
            if (r < 0) return 0;
        }
    }
}

static const char unavailable[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

static void accept_all(uint64_t now) {
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == ECONNABORTED || errno == EINTR || errno == EPROTO) continue;
            return;
        }
        if (!nfree) {
            send(fd, unavailable, sizeof unavailable - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
            close(fd);
            continue;
        }
        uint32_t i = free_list[--nfree];
        struct conn *c = &conns[i];
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                                 .data.u64 = ((uint64_t)c->gen << 32) | (i + 1)};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
            close(fd);
            free_list[nfree++] = i;
            continue;
        }
        c->fd = fd;
        c->in_start = c->in_end = c->head_pos = c->head_len = 0;
        c->file = -1, c->file_pos = c->file_end = 0;
        c->discard = 0, c->close_after = c->draining = 0;
        link_last(i, now);
    }
}

int main(int argc, char **argv) {
    const char *addr = NULL, *dir = NULL;
    long max_seconds = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--capacity") && i + 1 < argc) capacity = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc) timeout_ns = strtoull(argv[++i], NULL, 10) * 1000000ull;
        else if (!strcmp(argv[i], "--max-seconds") && i + 1 < argc) max_seconds = strtol(argv[++i], NULL, 10);
        else if (!addr) addr = argv[i];
        else dir = argv[i];
    }
    if (!addr || !dir) return fprintf(stderr, "usage: twin IP:PORT DIR [options]\n"), 2;
    signal(SIGPIPE, SIG_IGN);
    char host[64];
    const char *colon = strrchr(addr, ':');
    snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
    inet_pton(AF_INET, host, &sin.sin_addr);
    root_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (root_fd < 0 || bind(listen_fd, (struct sockaddr *)&sin, sizeof sin) || listen(listen_fd, 4096))
        return perror("twin"), 1;
    socklen_t sl = sizeof sin;
    getsockname(listen_fd, (struct sockaddr *)&sin, &sl);
    conns = calloc(capacity, sizeof *conns);
    free_list = calloc(capacity, sizeof *free_list);
    for (size_t i = 0; i < capacity; i++) conns[i].fd = -1, conns[i].file = -1, free_list[nfree++] = (uint32_t)(capacity - 1 - i);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event lev = {.events = EPOLLIN | EPOLLET, .data.u64 = TOK_LISTENER};
    epoll_ctl(epfd, EPOLL_CTL_ADD, listen_fd, &lev);
    printf("listening on %s:%d\n", host, ntohs(sin.sin_port));
    fflush(stdout);
    uint64_t until = max_seconds >= 0 ? now_ns() + (uint64_t)max_seconds * 1000000000ull : UINT64_MAX;
    static struct epoll_event events[EVENTS];
    update_date();
    for (;;) {
        uint64_t now = now_ns();
        if (now >= until) return 0;
        while (first != NIL && conns[first].deadline_ns <= now) close_conn(first);
        uint64_t wait = 1000000000ull;
        if (first != NIL && conns[first].deadline_ns - now < wait) wait = conns[first].deadline_ns - now;
        if (until - now < wait) wait = until - now;
        struct timespec ts = {.tv_sec = (time_t)(wait / 1000000000ull), .tv_nsec = (long)(wait % 1000000000ull)};
        int n = (int)syscall(SYS_epoll_pwait2, epfd, events, EVENTS, &ts, NULL, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return perror("epoll_pwait2"), 1;
        }
        now = now_ns();
        update_date();
        for (int k = 0; k < n; k++) {
            uint64_t tok = events[k].data.u64;
            if (tok == TOK_LISTENER) {
                accept_all(now);
                continue;
            }
            uint32_t i = (uint32_t)tok - 1, gen = (uint32_t)(tok >> 32);
            struct conn *c = &conns[i];
            if (c->gen != gen || c->fd < 0) continue;
            int progress = 0;
            if (!serve(c, &progress)) close_conn(i);
            else if (progress) unlink_conn(i), link_last(i, now);
        }
    }
}
