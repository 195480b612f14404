/*
 * Preloaded (LD_PRELOAD) into the ZooKeeper servers zkbench starts: binds every TCP connection a server
 * opens to another loopback address to the server's own address (ZKBENCH_SOURCE_ADDRESS, e.g.
 * 127.0.0.3) before it connects. ZooKeeper never binds its outgoing sockets (a follower's connection to
 * the leader, the election connections), so the kernel would give each of them 127.0.0.1 as the source,
 * and traffic between two servers could not be told apart by address: with this, every packet between
 * servers carries both servers' own addresses, and an isolation (src/ensemble/faults/nftables.ts) can
 * drop exactly one server's traffic by address pair.
 *
 * Only sockets that are still unbound, of type SOCK_STREAM, connecting to 127.0.0.0/8 (IPv4, or
 * IPv4-mapped IPv6: Java's sockets are dual-stack) are touched; a failed bind is ignored (the connect
 * then goes on as it would have). IP_BIND_ADDRESS_NO_PORT keeps the port chosen at connect time, as
 * without the bind.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);

static connect_fn real_connect;
static int configured = -1; /* -1: not read yet; 0: no address; 1: source holds it */
static struct in_addr source;

static void configure(void) {
  const char *text = getenv("ZKBENCH_SOURCE_ADDRESS");
  configured = text != NULL && inet_pton(AF_INET, text, &source) == 1 ? 1 : 0;
}

static int is_loopback_v4(const struct in_addr *a) { return (ntohl(a->s_addr) >> 24) == 127; }

static int is_unbound_stream(int fd) {
  int type = 0;
  socklen_t len = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) return 0;
  struct sockaddr_storage local;
  socklen_t local_len = sizeof local;
  if (getsockname(fd, (struct sockaddr *)&local, &local_len) != 0) return 0;
  if (local.ss_family == AF_INET) return ((struct sockaddr_in *)&local)->sin_port == 0;
  if (local.ss_family == AF_INET6) return ((struct sockaddr_in6 *)&local)->sin6_port == 0;
  return 0;
}

static void bind_source(int fd, const struct sockaddr *to) {
  int one = 1;
  if (to->sa_family == AF_INET) {
    if (!is_loopback_v4(&((const struct sockaddr_in *)to)->sin_addr) || !is_unbound_stream(fd)) return;
    struct sockaddr_in from;
    memset(&from, 0, sizeof from);
    from.sin_family = AF_INET;
    from.sin_addr = source;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    bind(fd, (struct sockaddr *)&from, sizeof from);
  } else if (to->sa_family == AF_INET6) {
    const struct in6_addr *a = &((const struct sockaddr_in6 *)to)->sin6_addr;
    if (!IN6_IS_ADDR_V4MAPPED(a) || !is_loopback_v4((const struct in_addr *)&a->s6_addr[12]) || !is_unbound_stream(fd)) return;
    struct sockaddr_in6 from;
    memset(&from, 0, sizeof from);
    from.sin6_family = AF_INET6;
    from.sin6_addr.s6_addr[10] = 0xff;
    from.sin6_addr.s6_addr[11] = 0xff;
    memcpy(&from.sin6_addr.s6_addr[12], &source, 4);
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    bind(fd, (struct sockaddr *)&from, sizeof from);
  }
}

int connect(int fd, const struct sockaddr *to, socklen_t len) {
  if (real_connect == NULL) real_connect = (connect_fn)dlsym(RTLD_NEXT, "connect");
  if (configured < 0) configure();
  if (configured == 1 && to != NULL && len >= (socklen_t)sizeof(struct sockaddr_in)) {
    int saved = errno;
    bind_source(fd, to);
    errno = saved;
  }
  return real_connect(fd, to, len);
}
