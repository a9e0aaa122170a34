// SPDX-License-Identifier: GPL-2.0
/*
 * The xtcp socket: creation, release and the socket calls.
 *
 * The socket-level calls mirror what native TCP does for a socket in the same
 * state, so a program sees the same errno from xtcp as from TCP. Where xtcp
 * has no protocol machinery yet (bind, listen, connect), the call checks its
 * arguments as native TCP would and then says -EOPNOTSUPP, never pretending
 * to have done the work.
 */
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sockios.h>
#include <linux/termios.h>
#include <linux/tcp.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "xtcp_pernet.h"
#include "xtcp_sock.h"

/* RFC 9293 default send MSS before anything is known of the path. */
#define XTCP_DEFAULT_MSS	536
/* RFC 791 minimum MTU, the floor tcp_mtu_to_mss() applies as well. */
#define XTCP_MIN_SND_MSS	48

/**
 * xtcp_sock_mtu_to_mss() - sending MSS for a path MTU, as native TCP derives it
 * @pmtu: path MTU in bytes
 * @ext_hdr_len: IP options length on this socket
 * @user_mss: TCP_MAXSEG clamp, 0 if none
 * @min_mss: floor (net.ipv4.tcp_min_snd_mss)
 *
 * Return: the MSS; never below @min_mss.
 */
u32 xtcp_sock_mtu_to_mss(u32 pmtu, u32 ext_hdr_len, u32 user_mss, u32 min_mss)
{
	s64 mss = (s64)pmtu - sizeof(struct iphdr) - sizeof(struct tcphdr);

	if (user_mss && mss > user_mss)
		mss = user_mss;
	mss -= ext_hdr_len;
	return max_t(s64, mss, min_mss);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_sock_mtu_to_mss);

/* icsk_sync_mss: ip_setsockopt(IP_OPTIONS) calls it on every ICSK socket. */
static unsigned int xtcp_sync_mss(struct sock *sk, u32 pmtu)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 min_mss;

	if (!pmtu)
		return xs->mss_cache;
	min_mss = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_min_snd_mss);
	inet_csk(sk)->icsk_pmtu_cookie = pmtu;
	xs->mss_cache = xtcp_sock_mtu_to_mss(pmtu, inet_csk(sk)->icsk_ext_hdr_len,
					     xs->user_mss, min_mss);
	return xs->mss_cache;
}

static int xtcp_init_sock(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	INIT_HLIST_NODE(&xs->table_node);
	xs->mss_cache = XTCP_DEFAULT_MSS;
	inet_csk(sk)->icsk_sync_mss = xtcp_sync_mss;
	sk->sk_state = TCP_CLOSE;
	sk->sk_sndbuf = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_wmem[1]);
	sk->sk_rcvbuf = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_rmem[1]);
	sk->sk_prot->hash(sk);
	return 0;
}

static void xtcp_destroy_sock(struct sock *sk)
{
	sk->sk_prot->unhash(sk);
}

/*
 * The namespace's socket table is what /proc/net/xtcp walks; the in-use
 * count is the "sockets" column of /proc/net/protocols.
 */
static int xtcp_hash(struct sock *sk)
{
	xtcp_pernet_sock_add(sk);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	return 0;
}

static void xtcp_unhash(struct sock *sk)
{
	if (xtcp_pernet_sock_del(sk))
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
}

static void xtcp_close(struct sock *sk, long timeout)
{
	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	inet_sk_set_state(sk, TCP_CLOSE);
	release_sock(sk);
	sk_common_release(sk);
}

static int xtcp_disconnect(struct sock *sk, int flags)
{
	/* Nothing is ever in flight yet: back to a fresh, reusable socket. */
	sk->sk_shutdown = 0;
	sk->sk_err = 0;
	inet_sk_set_state(sk, TCP_CLOSE);
	return 0;
}

static int xtcp_ioctl(struct sock *sk, int cmd, unsigned long arg)
{
	switch (cmd) {
	case SIOCINQ:
	case SIOCOUTQ:
	case SIOCOUTQNSD:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		/* No queues exist yet: nothing to read, nothing unsent. */
		return put_user(0, (int __user *)arg);
	case SIOCATMARK:
		return put_user(0, (int __user *)arg);
	default:
		return -ENOIOCTLCMD;
	}
}

/* Native TCP answers options of every level but SOL_TCP through IP. */
static int xtcp_setsockopt(struct sock *sk, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	if (level != SOL_TCP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	return -ENOPROTOOPT;
}

static int xtcp_getsockopt(struct sock *sk, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	if (level != SOL_TCP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	return -ENOPROTOOPT;
}

/* What tcp_sendmsg() says when the socket is not connected. */
static int xtcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	int err;

	if (msg->msg_flags & MSG_FASTOPEN)
		return -EOPNOTSUPP;
	lock_sock(sk);
	err = sk->sk_err ? sock_error(sk) : -EPIPE;
	err = sk_stream_error(sk, msg->msg_flags, err);
	release_sock(sk);
	return err;
}

/* What tcp_recvmsg() says when there is nothing queued and no connection. */
static int xtcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
			int flags, int *addr_len)
{
	int err;

	if (unlikely(flags & MSG_ERRQUEUE))
		return inet_recv_error(sk, msg, len, addr_len);

	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN)
		err = -ENOTCONN;
	else if (flags & MSG_OOB)
		err = -EINVAL;
	else if (sock_flag(sk, SOCK_DONE))
		err = 0;
	else if (sk->sk_err)
		err = sock_error(sk);
	else if (sk->sk_shutdown & RCV_SHUTDOWN)
		err = 0;
	else
		err = -ENOTCONN;
	release_sock(sk);
	return err;
}

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct xtcp_sock),
	.init		= xtcp_init_sock,
	.destroy	= xtcp_destroy_sock,
	.close		= xtcp_close,
	.disconnect	= xtcp_disconnect,
	.ioctl		= xtcp_ioctl,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.sendmsg	= xtcp_sendmsg,
	.recvmsg	= xtcp_recvmsg,
	.hash		= xtcp_hash,
	.unhash		= xtcp_unhash,
	/* bind() and connect() choose ports; nothing may bind behind our back. */
	.no_autobind	= true,
};

static int xtcp_check_sin(const struct sockaddr *uaddr, int addr_len)
{
	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (uaddr->sa_family != AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

static int xtcp_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)uaddr;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	/* As __inet_bind(): AF_UNSPEC is tolerated for INADDR_ANY only. */
	if (sin->sin_family != AF_INET &&
	    (sin->sin_family != AF_UNSPEC ||
	     sin->sin_addr.s_addr != htonl(INADDR_ANY)))
		return -EAFNOSUPPORT;
	return -EOPNOTSUPP;
}

static int xtcp_stream_connect(struct socket *sock, struct sockaddr *uaddr,
			       int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC) {
		lock_sock(sk);
		err = sk->sk_prot->disconnect(sk, flags);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		release_sock(sk);
		return err;
	}
	err = xtcp_check_sin(uaddr, addr_len);
	return err ?: -EOPNOTSUPP;
}

static int xtcp_listen(struct socket *sock, int backlog)
{
	if (sock->state != SS_UNCONNECTED)
		return -EINVAL;
	return -EOPNOTSUPP;
}

/* Never listening yet, so like inet_csk_accept() on a non-listener. */
static int xtcp_accept(struct socket *sock, struct socket *newsock, int flags,
		       bool kern)
{
	return -EINVAL;
}

/* tcp_poll() for a socket that is neither listening nor connecting. */
static __poll_t xtcp_poll(struct file *file, struct socket *sock,
			  poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;
	u8 shutdown;

	sock_poll_wait(file, sock, wait);
	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || READ_ONCE(sk->sk_state) == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	/* Nothing is queued, so the send side always has room. */
	mask |= EPOLLOUT | EPOLLWRNORM;
	smp_rmb();	/* check error state after the state, as tcp_poll() */
	if (READ_ONCE(sk->sk_err) ||
	    !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

const struct proto_ops xtcp_stream_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= xtcp_bind,
	.connect	= xtcp_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= xtcp_accept,
	.getname	= inet_getname,
	.poll		= xtcp_poll,
	.ioctl		= inet_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= xtcp_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= inet_recvmsg,
	.mmap		= sock_no_mmap,
	.sendpage	= sock_no_sendpage,
};
