/* gethostbyname2 for each "FAMILY NAME" pair of arguments (FAMILY 4 or 6):
 * the name, aliases and addresses, or h_errno. Run by gethostbyname2.sh. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
int main(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    int af = strcmp(argv[i], "6") == 0 ? AF_INET6 : AF_INET;
    struct hostent *h = gethostbyname2(argv[i + 1], af);
    printf("%s %s: ", argv[i], argv[i + 1]);
    if (!h) { printf("error h_errno=%d\n", h_errno); continue; }
    printf("name=%s aliases=[", h->h_name);
    for (char **a = h->h_aliases; *a; a++) printf("%s%s", a == h->h_aliases ? "" : ",", *a);
    printf("] addrs=[");
    char buf[64];
    for (char **a = h->h_addr_list; *a; a++) { inet_ntop(h->h_addrtype, *a, buf, sizeof buf); printf("%s%s", a == h->h_addr_list ? "" : ",", buf); }
    printf("]\n");
  }
}
