// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp's own IPv4 output route cache.
 *
 * Linux dropped its 2.6 route cache because a flood of distinct destinations
 * filled it and chains grew without limit. This one is built against that:
 * - bucket index is siphash over the whole key with a secret drawn per cache,
 *   so nobody outside can aim many keys at one chain;
 * - the number of entries is hard-bounded; when full, the oldest entry goes;
 * - every hit is revalidated (route generation and dst_check()), so a route
 *   change is never served from here: the FIB stays the only authority.
 *
 * Readers (lookups, /proc) are lockless under RCU. Writers (insert, unlink,
 * eviction, PMTU update) hold cache->lock with BHs off, since lookups may
 * come from softirq once the receive path uses the cache.
 *
 * An entry owns one reference on its dst. It drops it as soon as the entry
 * is unlinked and the entry's memory goes after a grace period; a reader that
 * still sees the entry therefore takes its own reference with dst_hold_safe(),
 * which fails once that last reference is gone (dst memory itself is freed
 * after a grace period, so looking at it under RCU is safe either way).
 * Dropping the dst early matters: a cached dst must never keep a device or
 * a namespace teardown waiting.
 */
#include <linux/cache.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sysctl.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/route.h>

#include "xtcp.h"
#include "xtcp_pernet.h"
#include "xtcp_route.h"

/*
 * The largest bound the sysctl accepts: about 200 MB of entries, and with
 * the largest table chains of 16 on average. Namespace root may set it, so
 * it must stay sane even for a namespace owned by an unprivileged user.
 */
#define XTCP_ROUTE_MAX_LIMIT		(1U << 20)
#define XTCP_ROUTE_MIN_BUCKETS		16U
#define XTCP_ROUTE_MAX_BUCKETS		(1U << 16)

static unsigned int route_cache_max = 4096;
module_param(route_cache_max, uint, 0444);
MODULE_PARM_DESC(route_cache_max,
		 "Default bound on route cache entries per network namespace (default 4096)");

/**
 * struct xtcp_route_entry - one cached output route
 * @hnode: link in the bucket chain of @key
 * @dnode: link in the bucket chain of @key.daddr alone, for PMTU updates
 * @age_node: link in the cache's insertion-ordered list, oldest first
 * @key: what the route was looked up with
 * @rt: the route; the entry owns one reference
 * @fl4: the flow as the FIB completed it (chosen source address, oif...)
 * @genid: rt_genid_ipv4() when the route was looked up
 * @pmtu: path MTU: the route's at insertion, lowered by learned values
 * @inserted: jiffies at insertion
 * @last_used: jiffies of the last lookup answered
 * @uses: lookups answered, the one that created the entry included
 * @rcu: deferred free
 */
struct xtcp_route_entry {
	struct hlist_node	hnode;
	struct hlist_node	dnode;
	struct list_head	age_node;
	struct xtcp_route_key	key;
	struct rtable		*rt;
	struct flowi4		fl4;
	int			genid;
	u32			pmtu;
	unsigned long		inserted;
	unsigned long		last_used;
	atomic_long_t		uses;
	struct rcu_head		rcu;
};

/**
 * struct xtcp_route_cache - a bounded cache of output routes of one namespace
 * @net: namespace whose FIB answers misses; the cache never outlives it
 * @secret: siphash key, random per cache
 * @hash_mask: number of buckets minus one (a power of two minus one)
 * @buckets: chains by the whole key
 * @dbuckets: chains by destination address only
 * @lock: serialises every change to the chains, @age_list, @count and
 *	entries' @pmtu; lookups do not take it
 * @age_list: every entry, oldest insertion first: the eviction order
 * @count: entries in the cache
 * @max_entries: bound on @count
 * @stats: per-CPU counters, summed when read
 * @sysctl: net.xtcp table, for the namespace's own cache only
 */
struct xtcp_route_cache {
	possible_net_t			net;
	siphash_key_t			secret;
	u32				hash_mask;
	struct hlist_head		*buckets;
	struct hlist_head		*dbuckets;
	spinlock_t			lock;
	struct list_head		age_list;
	unsigned int			count;
	unsigned int			max_entries;
	struct xtcp_route_stats __percpu *stats;
	struct ctl_table_header		*sysctl;
};

/*
 * Plain per-CPU u64 counters: this_cpu_*() is IRQ-safe, so any context may
 * count, and on 64-bit (all xtcp targets) sums read them without tearing.
 */
#define xtcp_route_stat_add(cache, field, n) \
	this_cpu_add((cache)->stats->field, (n))
#define xtcp_route_stat_inc(cache, field) \
	this_cpu_inc((cache)->stats->field)

/**
 * xtcp_route_default_max() - bound for a new namespace's cache
 *
 * Return: the route_cache_max module parameter, capped like the sysctl.
 */
unsigned int xtcp_route_default_max(void)
{
	return min(READ_ONCE(route_cache_max), XTCP_ROUTE_MAX_LIMIT);
}

static struct hlist_head *xtcp_route_bucket(const struct xtcp_route_cache *cache,
					    const struct xtcp_route_key *key)
{
	u64 hash = siphash(key, sizeof(*key), &cache->secret);

	return &cache->buckets[hash & cache->hash_mask];
}

static struct hlist_head *xtcp_route_dbucket(const struct xtcp_route_cache *cache,
					     __be32 daddr)
{
	u64 hash = siphash_1u32((__force u32)daddr, &cache->secret);

	return &cache->dbuckets[hash & cache->hash_mask];
}

/**
 * xtcp_route_cache_create() - make an empty route cache
 * @net: namespace whose routes it caches; must outlive the cache
 * @max_entries: bound on the number of entries; 0 caches nothing
 *
 * The hash table is sized for @max_entries and never resized: raising the
 * bound later lengthens chains rather than reallocating under readers.
 *
 * Context: process context, may sleep.
 * Return: the cache, or NULL when memory is short.
 */
struct xtcp_route_cache *xtcp_route_cache_create(struct net *net,
						 unsigned int max_entries)
{
	struct xtcp_route_cache *cache;
	unsigned int nbuckets;

	cache = kzalloc(sizeof(*cache), GFP_KERNEL);
	if (!cache)
		return NULL;

	nbuckets = clamp(max_entries, XTCP_ROUTE_MIN_BUCKETS,
			 XTCP_ROUTE_MAX_BUCKETS);
	nbuckets = roundup_pow_of_two(nbuckets);
	cache->buckets = kvcalloc(nbuckets, sizeof(*cache->buckets),
				  GFP_KERNEL);
	cache->dbuckets = kvcalloc(nbuckets, sizeof(*cache->dbuckets),
				   GFP_KERNEL);
	cache->stats = alloc_percpu(struct xtcp_route_stats);
	if (!cache->buckets || !cache->dbuckets || !cache->stats)
		goto err_free;

	write_pnet(&cache->net, net);
	get_random_bytes(&cache->secret, sizeof(cache->secret));
	cache->hash_mask = nbuckets - 1;
	spin_lock_init(&cache->lock);
	INIT_LIST_HEAD(&cache->age_list);
	cache->max_entries = max_entries;
	return cache;

err_free:
	free_percpu(cache->stats);
	kvfree(cache->dbuckets);
	kvfree(cache->buckets);
	kfree(cache);
	return NULL;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_route_cache_create);

/*
 * Take @e out of every list and drop its route. Readers that found it
 * before keep a valid entry until the grace period ends.
 */
static void xtcp_route_unlink(struct xtcp_route_cache *cache,
			      struct xtcp_route_entry *e)
{
	lockdep_assert_held(&cache->lock);

	hlist_del_init_rcu(&e->hnode);
	hlist_del_rcu(&e->dnode);
	list_del_rcu(&e->age_node);
	cache->count--;
	dst_release(&e->rt->dst);
	kfree_rcu(e, rcu);
}

/* Drop the oldest entries until at most @limit remain; returns how many. */
static unsigned int xtcp_route_trim(struct xtcp_route_cache *cache,
				    unsigned int limit)
{
	struct xtcp_route_entry *e;
	unsigned int dropped = 0;

	lockdep_assert_held(&cache->lock);

	while (cache->count > limit) {
		e = list_first_entry(&cache->age_list, struct xtcp_route_entry,
				     age_node);
		xtcp_route_unlink(cache, e);
		dropped++;
	}
	return dropped;
}

/**
 * xtcp_route_flush() - drop every entry
 * @cache: the cache
 *
 * Callers' references on routes they were handed stay valid. The drops
 * are not counted as evictions: the bound did not ask for them.
 *
 * Context: any; takes the cache lock with BHs off.
 */
void xtcp_route_flush(struct xtcp_route_cache *cache)
{
	spin_lock_bh(&cache->lock);
	xtcp_route_trim(cache, 0);
	spin_unlock_bh(&cache->lock);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_route_flush);

/**
 * xtcp_route_cache_destroy() - flush and free a cache
 * @cache: the cache, or NULL; nobody may look it up any more
 *
 * Entries are freed with kfree_rcu(), which needs no rcu_barrier() before the
 * module goes away.
 */
void xtcp_route_cache_destroy(struct xtcp_route_cache *cache)
{
	if (!cache)
		return;
	xtcp_route_flush(cache);
	WARN_ON_ONCE(cache->sysctl);
	free_percpu(cache->stats);
	kvfree(cache->dbuckets);
	kvfree(cache->buckets);
	kfree(cache);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_route_cache_destroy);

static u32 xtcp_route_entry_mtu(const struct xtcp_route_entry *e)
{
	return min(READ_ONCE(e->pmtu), dst_mtu(&e->rt->dst));
}

/*
 * A hit must be indistinguishable from asking the FIB: the entry is only
 * good while neither the namespace's route generation nor the dst itself
 * says the route changed. On success the caller owns a reference.
 */
static bool xtcp_route_entry_get(struct xtcp_route_cache *cache,
				 struct xtcp_route_entry *e)
{
	struct dst_entry *dst = &e->rt->dst;

	/* Fails only if the entry was unlinked meanwhile. */
	if (!dst_hold_safe(dst))
		return false;
	if (e->genid == rt_genid_ipv4(read_pnet(&cache->net)) &&
	    dst_check(dst, 0) == dst)
		return true;
	dst_release(dst);
	return false;
}

/* Drop a stale entry, unless a concurrent writer already did. */
static void xtcp_route_invalidate(struct xtcp_route_cache *cache,
				  struct xtcp_route_entry *e)
{
	spin_lock_bh(&cache->lock);
	if (!hlist_unhashed(&e->hnode)) {
		xtcp_route_unlink(cache, e);
		xtcp_route_stat_inc(cache, invalidations);
	}
	spin_unlock_bh(&cache->lock);
}

/*
 * Keys carry ports, so each new connection to a destination gets an entry
 * of its own: it starts from the lowest MTU learned for that destination,
 * or learning would only ever help the connection that triggered it. Only
 * entries of the same route generation count: a route change may well have
 * changed the path.
 */
static u32 xtcp_route_known_pmtu(struct xtcp_route_cache *cache, __be32 daddr,
				 int genid, u32 pmtu)
{
	struct xtcp_route_entry *e;

	lockdep_assert_held(&cache->lock);

	hlist_for_each_entry_rcu(e, xtcp_route_dbucket(cache, daddr), dnode,
				 lockdep_is_held(&cache->lock)) {
		if (e->key.daddr == daddr && e->genid == genid)
			pmtu = min(pmtu, e->pmtu);
	}
	return pmtu;
}

/*
 * File a freshly looked-up route. A failed allocation or a concurrent insert
 * of the same key only means this route is not cached: the caller gets it
 * either way. Returns the path MTU to report for it.
 */
static u32 xtcp_route_insert(struct xtcp_route_cache *cache,
			     const struct xtcp_route_key *key,
			     struct rtable *rt, const struct flowi4 *fl4,
			     int genid)
{
	struct hlist_head *bucket = xtcp_route_bucket(cache, key);
	u32 pmtu = dst_mtu(&rt->dst);
	struct xtcp_route_entry *e, *old;

	if (!READ_ONCE(cache->max_entries))
		return pmtu;
	e = kmalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (!e)
		return pmtu;
	e->key = *key;
	e->rt = rt;
	e->fl4 = *fl4;
	e->genid = genid;
	e->inserted = jiffies;
	e->last_used = e->inserted;
	atomic_long_set(&e->uses, 1);

	spin_lock_bh(&cache->lock);
	hlist_for_each_entry_rcu(old, bucket, hnode,
				 lockdep_is_held(&cache->lock)) {
		if (!memcmp(&old->key, key, sizeof(*key)))
			goto unlock_free;
	}
	/* Re-read under the lock: the bound may have just been lowered. */
	if (!cache->max_entries)
		goto unlock_free;
	pmtu = xtcp_route_known_pmtu(cache, key->daddr, genid, pmtu);
	e->pmtu = pmtu;
	xtcp_route_stat_add(cache, evictions,
			    xtcp_route_trim(cache, cache->max_entries - 1));
	dst_hold(&rt->dst);
	hlist_add_head_rcu(&e->hnode, bucket);
	hlist_add_head_rcu(&e->dnode, xtcp_route_dbucket(cache, key->daddr));
	list_add_tail_rcu(&e->age_node, &cache->age_list);
	cache->count++;
	xtcp_route_stat_inc(cache, inserts);
	spin_unlock_bh(&cache->lock);
	return pmtu;

unlock_free:
	spin_unlock_bh(&cache->lock);
	kfree(e);
	return pmtu;
}

/**
 * xtcp_route_lookup() - output route for @key, from the cache or the FIB
 * @cache: the cache
 * @key: flow to route; compared as raw bytes, so its padding must be zero
 * @fl4: set to the flow as the FIB completed it (source address chosen,
 *	oif of the output device); unspecified on error
 * @pmtu: if not NULL, set to the path MTU: the route's, or lower if a
 *	smaller one was learned for the destination (see
 *	xtcp_route_learn_pmtu())
 * @hit: if not NULL, set to whether the cache had the route
 *
 * Errors are not cached: each failing lookup goes to the FIB again.
 *
 * Context: any; does not sleep.
 * Return: a route the caller owns one reference on (drop it with
 * ip_rt_put()), or an ERR_PTR() from ip_route_output_flow().
 */
struct rtable *xtcp_route_lookup(struct xtcp_route_cache *cache,
				 const struct xtcp_route_key *key,
				 struct flowi4 *fl4, u32 *pmtu, bool *hit)
{
	struct net *net = read_pnet(&cache->net);
	struct xtcp_route_entry *e;
	unsigned int searched = 0;
	struct rtable *rt;
	int genid;
	u32 mtu;

	xtcp_route_stat_inc(cache, lookups);

	rcu_read_lock();
	hlist_for_each_entry_rcu(e, xtcp_route_bucket(cache, key), hnode) {
		searched++;
		if (memcmp(&e->key, key, sizeof(*key)))
			continue;
		if (!xtcp_route_entry_get(cache, e)) {
			xtcp_route_invalidate(cache, e);
			break;
		}
		*fl4 = e->fl4;
		if (pmtu)
			*pmtu = xtcp_route_entry_mtu(e);
		atomic_long_inc(&e->uses);
		WRITE_ONCE(e->last_used, jiffies);
		rt = e->rt;
		rcu_read_unlock();
		xtcp_route_stat_add(cache, searched, searched);
		xtcp_route_stat_inc(cache, hits);
		if (hit)
			*hit = true;
		return rt;
	}
	rcu_read_unlock();
	xtcp_route_stat_add(cache, searched, searched);
	xtcp_route_stat_inc(cache, misses);
	if (hit)
		*hit = false;

	/*
	 * Read the generation before asking the FIB: if routes change in
	 * between, the entry is born stale instead of passing for current.
	 */
	genid = rt_genid_ipv4(net);
	flowi4_init_output(fl4, key->oif, key->mark, key->tos, key->scope,
			   key->proto, 0, key->daddr, key->saddr, key->dport,
			   key->sport, key->uid);
	rt = ip_route_output_flow(net, fl4, NULL);
	if (IS_ERR(rt))
		return rt;
	mtu = xtcp_route_insert(cache, key, rt, fl4, genid);
	if (pmtu)
		*pmtu = mtu;
	return rt;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_route_lookup);

/**
 * xtcp_route_learn_pmtu() - record a path MTU learned for a destination
 * @cache: the cache
 * @daddr: destination the MTU applies to
 * @mtu: the MTU, e.g. from an ICMP fragmentation-needed message
 *
 * Applies to every cached route to @daddr, and to routes to @daddr cached
 * later under the same route generation; it is forgotten with the last
 * entry for @daddr. The MTU only ever goes down, and never below
 * IPV4_MIN_MTU (68, RFC 791). A forged value can still shrink segments for
 * everyone going to @daddr, so callers should only pass MTUs from ICMP
 * errors they matched to a connection.
 *
 * Context: any; takes the cache lock with BHs off.
 */
void xtcp_route_learn_pmtu(struct xtcp_route_cache *cache, __be32 daddr,
			   u32 mtu)
{
	struct xtcp_route_entry *e;

	mtu = max_t(u32, mtu, IPV4_MIN_MTU);
	spin_lock_bh(&cache->lock);
	hlist_for_each_entry_rcu(e, xtcp_route_dbucket(cache, daddr), dnode,
				 lockdep_is_held(&cache->lock)) {
		if (e->key.daddr == daddr && mtu < e->pmtu)
			WRITE_ONCE(e->pmtu, mtu);
	}
	spin_unlock_bh(&cache->lock);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_route_learn_pmtu);

/**
 * xtcp_route_count() - number of entries in a cache
 * @cache: the cache
 *
 * Return: a snapshot; never above the bound in force when it was taken.
 */
unsigned int xtcp_route_count(const struct xtcp_route_cache *cache)
{
	return READ_ONCE(cache->count);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_route_count);

/**
 * xtcp_route_set_max() - change the bound on the number of entries
 * @cache: the cache
 * @max: new bound; 0 disables caching
 *
 * Lowering it evicts the oldest entries at once, so the bound holds as soon
 * as this returns.
 *
 * Context: any; takes the cache lock with BHs off.
 */
void xtcp_route_set_max(struct xtcp_route_cache *cache, unsigned int max)
{
	spin_lock_bh(&cache->lock);
	WRITE_ONCE(cache->max_entries, max);
	xtcp_route_stat_add(cache, evictions, xtcp_route_trim(cache, max));
	spin_unlock_bh(&cache->lock);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_route_set_max);

/**
 * xtcp_route_get_stats() - sum a cache's per-CPU counters
 * @cache: the cache
 * @stats: where to write the sums
 *
 * Counters are read without stopping writers, so the sums are only
 * consistent with each other when the cache is idle.
 */
void xtcp_route_get_stats(const struct xtcp_route_cache *cache,
			  struct xtcp_route_stats *stats)
{
	const struct xtcp_route_stats *s;
	int cpu;

	memset(stats, 0, sizeof(*stats));
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(cache->stats, cpu);
		stats->lookups += READ_ONCE(s->lookups);
		stats->hits += READ_ONCE(s->hits);
		stats->misses += READ_ONCE(s->misses);
		stats->searched += READ_ONCE(s->searched);
		stats->inserts += READ_ONCE(s->inserts);
		stats->evictions += READ_ONCE(s->evictions);
		stats->invalidations += READ_ONCE(s->invalidations);
	}
}
XTCP_EXPORT_FOR_KUNIT(xtcp_route_get_stats);

/* /proc/net/xtcp_route: entries oldest first, read under RCU. */

static struct xtcp_route_cache *xtcp_route_seq_cache(struct seq_file *seq)
{
	return xtcp_net(seq_file_net(seq))->routes;
}

static void *xtcp_route_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	return seq_list_start_head_rcu(&xtcp_route_seq_cache(seq)->age_list,
				       *pos);
}

static void *xtcp_route_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	return seq_list_next_rcu(v, &xtcp_route_seq_cache(seq)->age_list, pos);
}

static void xtcp_route_seq_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static int xtcp_route_seq_show(struct seq_file *seq, void *v)
{
	struct xtcp_route_cache *cache = xtcp_route_seq_cache(seq);
	const struct xtcp_route_entry *e;
	unsigned long now = jiffies;
	const struct rtable *rt;
	__be32 gw = 0;

	if (v == &cache->age_list) {
		seq_puts(seq, "Destination     Source          Gateway         Iface            MTU        Use    Age   Idle\n");
		return 0;
	}
	e = list_entry(v, struct xtcp_route_entry, age_node);
	rt = e->rt;
	if (rt->rt_gw_family == AF_INET)
		gw = rt->rt_gw4;
	seq_printf(seq, "%-15pI4 %-15pI4 %-15pI4 %-15s %5u %10lu %6lu %6lu\n",
		   &e->fl4.daddr, &e->fl4.saddr, &gw, rt->dst.dev->name,
		   xtcp_route_entry_mtu(e), atomic_long_read(&e->uses),
		   (now - e->inserted) / HZ,
		   (now - READ_ONCE(e->last_used)) / HZ);
	return 0;
}

static const struct seq_operations xtcp_route_seq_ops = {
	.start	= xtcp_route_seq_start,
	.next	= xtcp_route_seq_next,
	.stop	= xtcp_route_seq_stop,
	.show	= xtcp_route_seq_show,
};

/* /proc/net/stat/xtcp_route: one header line, one line of values. */
static int xtcp_route_stat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct xtcp_route_cache *cache = xtcp_net(net)->routes;
	struct xtcp_route_stats s;

	xtcp_route_get_stats(cache, &s);
	seq_puts(seq, "lookups hits misses searched inserts evictions invalidations entries max\n");
	seq_printf(seq, "%llu %llu %llu %llu %llu %llu %llu %u %u\n",
		   s.lookups, s.hits, s.misses, s.searched, s.inserts,
		   s.evictions, s.invalidations, xtcp_route_count(cache),
		   READ_ONCE(cache->max_entries));
	return 0;
}

/**
 * xtcp_route_proc_init_net() - create /proc/net/xtcp_route and
 *	/proc/net/stat/xtcp_route for @net
 * @net: namespace being set up; xtcp_net(net)->routes must already exist
 *	and outlive the files
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_route_proc_init_net(struct net *net)
{
	if (!proc_create_net("xtcp_route", 0444, net->proc_net,
			     &xtcp_route_seq_ops, sizeof(struct seq_net_private)))
		return -ENOMEM;
	if (!proc_create_net_single("xtcp_route", 0444, net->proc_net_stat,
				    xtcp_route_stat_show, NULL)) {
		remove_proc_entry("xtcp_route", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

/**
 * xtcp_route_proc_exit_net() - remove what xtcp_route_proc_init_net() created
 * @net: namespace going away
 *
 * Returns once no reader is left, so the cache may be destroyed afterwards.
 */
void xtcp_route_proc_exit_net(struct net *net)
{
	remove_proc_entry("xtcp_route", net->proc_net_stat);
	remove_proc_entry("xtcp_route", net->proc_net);
}

#ifdef CONFIG_SYSCTL
/*
 * The value lives in the cache, which applies a new bound at once, so the
 * handler works on a copy and hands writes to xtcp_route_set_max().
 */
static int xtcp_route_sysctl_max(struct ctl_table *table, int write,
				 void *buffer, size_t *lenp, loff_t *ppos)
{
	struct xtcp_route_cache *cache = table->data;
	unsigned int max = READ_ONCE(cache->max_entries);
	struct ctl_table tmp = {
		.data		= &max,
		.maxlen		= sizeof(max),
		.mode		= table->mode,
	};
	int err;

	err = proc_douintvec(&tmp, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	if (max > XTCP_ROUTE_MAX_LIMIT)
		return -EINVAL;
	xtcp_route_set_max(cache, max);
	return 0;
}

static const struct ctl_table xtcp_route_sysctl_table[] = {
	{
		.procname	= "route_cache_max",
		.mode		= 0644,
		.proc_handler	= xtcp_route_sysctl_max,
	},
	{}
};

/**
 * xtcp_route_sysctl_init_net() - register net.xtcp.route_cache_max in @net
 * @net: namespace being set up; xtcp_net(net)->routes must already exist
 *
 * Every namespace, init_net included, gets its own copy of the table: its
 * data is the namespace's cache, which only exists at run time.
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_route_sysctl_init_net(struct net *net)
{
	struct xtcp_route_cache *cache = xtcp_net(net)->routes;
	struct ctl_table *table;

	table = kmemdup(xtcp_route_sysctl_table,
			sizeof(xtcp_route_sysctl_table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table[0].data = cache;
	cache->sysctl = register_net_sysctl(net, "net/xtcp", table);
	if (!cache->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

/**
 * xtcp_route_sysctl_exit_net() - undo xtcp_route_sysctl_init_net()
 * @net: namespace going away
 */
void xtcp_route_sysctl_exit_net(struct net *net)
{
	struct xtcp_route_cache *cache = xtcp_net(net)->routes;
	const struct ctl_table *table = cache->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(cache->sysctl);
	cache->sysctl = NULL;
	kfree(table);
}
#else
int xtcp_route_sysctl_init_net(struct net *net)
{
	return 0;
}

void xtcp_route_sysctl_exit_net(struct net *net)
{
}
#endif
