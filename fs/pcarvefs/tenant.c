// SPDX-License-Identifier: GPL-2.0
/*
 * Sharing a node's pool between tenants.
 *
 * Each superblock is one tenant of one node: mounts with the same node=
 * and tenant= show the same tree, and different tenants see different
 * trees.  A tenant's size= is both a cap and a reservation:
 *
 *  - the caps of a node's tenants, and what its tenants without a cap
 *    hold, never add up to more than its pool, so a mount whose size=
 *    would overcommit the pool fails.  Each tenant commits that much of
 *    the pool (pcarve_commit(): the larger of its cap and what it holds),
 *    so the pool does not shrink below it either;
 *  - a tenant with a cap may hold up to its cap;
 *  - no tenant may take memory that would leave the pool with less free
 *    than the other capped tenants have yet to take (their cap minus what
 *    they hold), so a capped tenant always finds its reservation, whatever
 *    the others do; a tenant without a cap gets what the reservations
 *    leave.
 *
 * Memory being allocated is charged before it is taken ("inflight"), so
 * that two tenants allocating at once cannot both count the same free
 * memory.
 *
 * pcarvefs_acct_lock (a spinlock) covers every tenant's @used and
 * @committed, the lists of tenants and @pcarvefs_inflight; the pool's own
 * lock nests inside it (pcarve_pool_info(), pcarve_commit()).  Memory
 * freed but not yet reusable (being mapped again) counts as free: the
 * allocator waits for it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs_context.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/spinlock.h>

#include "internal.h"

static DEFINE_SPINLOCK(pcarvefs_acct_lock);
static struct list_head pcarvefs_tenants[MAX_NUMNODES];
static u64 pcarvefs_inflight[MAX_NUMNODES];
static u32 pcarvefs_last_id;

/* what the node's capped tenants other than @sbi have yet to take */
static u64 pcarvefs_reserved_by_others(struct pcarvefs_sb_info *sbi)
{
	struct pcarvefs_sb_info *t;
	u64 sum = 0;

	lockdep_assert_held(&pcarvefs_acct_lock);
	list_for_each_entry(t, &pcarvefs_tenants[sbi->nid], node)
		if (t != sbi && t->cap > t->used)
			sum += t->cap - t->used;
	return sum;
}

/* what a tenant with cap @cap holding @used commits of its pool */
static u64 pcarvefs_commitment(u64 cap, u64 used)
{
	return max(cap, used);
}

/* what the node's tenants other than @sbi have committed */
static u64 pcarvefs_committed_by_others(struct pcarvefs_sb_info *sbi)
{
	struct pcarvefs_sb_info *t;
	u64 sum = 0;

	lockdep_assert_held(&pcarvefs_acct_lock);
	list_for_each_entry(t, &pcarvefs_tenants[sbi->nid], node)
		if (t != sbi)
			sum += t->committed;
	return sum;
}

/*
 * @sbi's cap or holding is about to become @cap and @used: commit what
 * that adds to its commitment, or give back what it drops.  A restored
 * tree may be short of its commitment: growing, it first tries to make up
 * the whole of it, else commits only the growth; dropping, it gives back
 * only what it has above its new commitment.  Only a tenant on the list
 * has a commitment: a restored tree adopts its chunks after
 * pcarvefs_tenant_add(), and files are evicted after
 * pcarvefs_tenant_del().  On failure to commit, nothing changes.
 */
static int pcarvefs_recommit(struct pcarvefs_sb_info *sbi, u64 cap, u64 used)
{
	u64 from = pcarvefs_commitment(sbi->cap, sbi->used);
	u64 to = pcarvefs_commitment(cap, used);
	int ret;

	lockdep_assert_held(&pcarvefs_acct_lock);
	if (list_empty(&sbi->node) || to == from)
		return 0;
	if (to < from) {
		if (sbi->committed > to) {
			pcarve_uncommit(sbi->nid, sbi->committed - to);
			sbi->committed = to;
		}
		return 0;
	}
	/* committed <= from < to */
	if (sbi->committed < from &&
	    !pcarve_commit(sbi->nid, to - sbi->committed)) {
		sbi->committed = to;
		return 0;
	}
	ret = pcarve_commit(sbi->nid, to - from);
	if (!ret)
		sbi->committed += to - from;
	return ret;
}

/* why a cap of @cap for @sbi could not be committed (@err) */
static void pcarvefs_cap_refused(struct pcarvefs_sb_info *sbi, u64 cap,
				 int err, struct fs_context *fc)
{
	u64 want = pcarvefs_commitment(cap, sbi->used);
	/* what it had asked for before: nothing if it is not a tenant yet */
	u64 had = list_empty(&sbi->node) ? 0 :
		  pcarvefs_commitment(sbi->cap, sbi->used);
	struct pcarve_pool_info info;

	if (err != -ENOSPC || pcarve_pool_info(sbi->nid, &info))
		errorfc(fc, "size=%llu: node %d has no pool to take it (%d)",
			cap, sbi->nid, err);
	else
		/* refused: want > had, and committed <= size: no wrap */
		errorfc(fc, "size=%llu: node %d's other tenants hold %llu of its %llu bytes%s",
			cap, sbi->nid, pcarvefs_committed_by_others(sbi),
			info.size, want - had <=
			info.size - info.committed ?
			", less a shrink under way" : "");
}

/**
 * pcarvefs_tenant_init() - set up the lists of tenants, at boot
 */
void __init pcarvefs_tenant_init(void)
{
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		INIT_LIST_HEAD(&pcarvefs_tenants[nid]);
}

/**
 * pcarvefs_tenant_add() - make a new superblock a tenant of its node
 * @sbi: the superblock's info, with @nid, @tenant and @cap set
 * @fc: the mount, for messages
 *
 * It commits its cap.  A tree the previous kernel handed over (@id set)
 * is kept even when its cap does not fit beside the other tenants' (a
 * smaller pool, or caps a kernel before this one let overcommit): it is
 * in use, and losing it would lose its data; it is then short of its
 * commitment until a later change of its cap or holding can commit the
 * whole of it.
 *
 * Return: 0, -ENOSPC if its cap does not fit beside the other tenants'
 * commitments, or -ENODEV if the node has no pool.
 */
int pcarvefs_tenant_add(struct pcarvefs_sb_info *sbi, struct fs_context *fc)
{
	u64 want = pcarvefs_commitment(sbi->cap, sbi->used);
	int ret;

	spin_lock(&pcarvefs_acct_lock);
	/* a tree restored after a kexec keeps its number: it needs none */
	if (!sbi->id && pcarvefs_last_id == PCARVEFS_TENANT_ID_MAX) {
		errorfc(fc, "no tenant number left for tenant=%s", sbi->tenant);
		ret = -ENOSPC;
	} else {
		ret = pcarve_commit(sbi->nid, want);
		if (!ret) {
			sbi->committed = want;
		} else if (ret == -ENOSPC && sbi->id) {
			pr_warn("node%d tenant '%s': size=%llu does not fit beside the other tenants' caps any more; the restored tree is kept without its reservation\n",
				sbi->nid, sbi->tenant, sbi->cap);
			ret = 0;
		} else {
			pcarvefs_cap_refused(sbi, sbi->cap, ret, fc);
		}
	}
	if (!ret) {
		/* a tree restored after a kexec keeps its number */
		if (!sbi->id)
			sbi->id = ++pcarvefs_last_id;
		list_add_tail(&sbi->node, &pcarvefs_tenants[sbi->nid]);
	}
	spin_unlock(&pcarvefs_acct_lock);
	return ret;
}

/**
 * pcarvefs_tenant_del() - a tenant is going: its commitment ends
 * @sbi: the superblock's info
 *
 * Called before its files are evicted: what they hold is still charged to
 * it until then, and in the pool's free count, but no longer committed
 * (a shrink takes only free memory).
 */
void pcarvefs_tenant_del(struct pcarvefs_sb_info *sbi)
{
	/*
	 * Only a tenant that was added is on the list and has a commitment:
	 * a restored tree has its number before pcarvefs_tenant_add(), which
	 * may fail.
	 */
	spin_lock(&pcarvefs_acct_lock);
	list_del_init(&sbi->node);
	pcarve_uncommit(sbi->nid, sbi->committed);
	sbi->committed = 0;
	spin_unlock(&pcarvefs_acct_lock);
}

/**
 * pcarvefs_tenant_set_cap() - change a tenant's cap (remount)
 * @sbi: the tenant
 * @cap: the new cap, or 0 for none
 * @fc: the remount, for messages
 *
 * Return: 0, -ENOSPC if it would overcommit the pool, -EBUSY if the tenant
 * holds more already; nothing changes on failure.
 */
int pcarvefs_tenant_set_cap(struct pcarvefs_sb_info *sbi, u64 cap,
			    struct fs_context *fc)
{
	int ret = -EBUSY;

	spin_lock(&pcarvefs_acct_lock);
	if (cap && cap < sbi->used) {
		errorfc(fc, "size=%llu: tenant \"%s\" of node %d holds %llu bytes already",
			cap, sbi->tenant, sbi->nid, sbi->used);
		goto out;
	}
	ret = pcarvefs_recommit(sbi, cap, sbi->used);
	if (ret)
		pcarvefs_cap_refused(sbi, cap, ret, fc);
	else
		sbi->cap = cap;
out:
	spin_unlock(&pcarvefs_acct_lock);
	return ret;
}

/**
 * pcarvefs_charge() - let a tenant take @bytes of its node's pool
 * @sbi: the tenant
 * @bytes: what it is about to allocate
 *
 * On success the bytes count as the tenant's and as being taken; the
 * caller allocates them, then calls pcarvefs_charged(), and on failure
 * pcarvefs_uncharge() as well.
 *
 * Return: 0, or -ENOSPC if the cap or the other tenants' reservations
 * leave too little.
 */
int pcarvefs_charge(struct pcarvefs_sb_info *sbi, u64 bytes)
{
	struct pcarve_pool_info info;
	u64 need;
	int ret = -ENOSPC;

	spin_lock(&pcarvefs_acct_lock);
	/* sampled under the lock, so that two tenants never count it twice */
	if (pcarve_pool_info(sbi->nid, &info) || !info.usable) {
		ret = -EIO;
		goto out;
	}
	if (sbi->cap && sbi->used + bytes > sbi->cap)
		goto out;
	need = pcarvefs_inflight[sbi->nid] + bytes +
	       pcarvefs_reserved_by_others(sbi);
	if (info.free + info.restoring < need)
		goto out;
	/* a tenant without a cap commits what it takes */
	if (pcarvefs_recommit(sbi, sbi->cap, sbi->used + bytes))
		goto out;
	sbi->used += bytes;
	pcarvefs_inflight[sbi->nid] += bytes;
	ret = 0;
out:
	spin_unlock(&pcarvefs_acct_lock);
	return ret;
}

/**
 * pcarvefs_charged() - the allocation of charged bytes is over
 * @sbi: the tenant
 * @bytes: what pcarvefs_charge() was given
 */
void pcarvefs_charged(struct pcarvefs_sb_info *sbi, u64 bytes)
{
	spin_lock(&pcarvefs_acct_lock);
	pcarvefs_inflight[sbi->nid] -= bytes;
	spin_unlock(&pcarvefs_acct_lock);
}

/**
 * pcarvefs_uncharge() - a tenant gave bytes back (or never got them)
 * @sbi: the tenant
 * @bytes: how many
 */
void pcarvefs_uncharge(struct pcarvefs_sb_info *sbi, u64 bytes)
{
	spin_lock(&pcarvefs_acct_lock);
	if (!WARN_ON_ONCE(bytes > sbi->used)) {
		pcarvefs_recommit(sbi, sbi->cap, sbi->used - bytes);
		sbi->used -= bytes;
	}
	spin_unlock(&pcarvefs_acct_lock);
}

/**
 * pcarvefs_available() - what a tenant could take now (statfs)
 * @sbi: the tenant
 *
 * Return: the bytes pcarvefs_charge() would grant, in one piece.
 */
u64 pcarvefs_available(struct pcarvefs_sb_info *sbi)
{
	struct pcarve_pool_info info;
	u64 avail, busy;

	spin_lock(&pcarvefs_acct_lock);
	if (pcarve_pool_info(sbi->nid, &info) || !info.usable) {
		spin_unlock(&pcarvefs_acct_lock);
		return 0;
	}
	busy = pcarvefs_inflight[sbi->nid] + pcarvefs_reserved_by_others(sbi);
	avail = info.free + info.restoring;
	avail = avail > busy ? avail - busy : 0;
	if (sbi->cap)
		avail = min(avail, sbi->cap - sbi->used);
	spin_unlock(&pcarvefs_acct_lock);
	return avail;
}

/**
 * pcarvefs_tenant_adopt() - charge a tenant for chunks it had before a kexec
 * @sbi: the tenant
 * @bytes: their bytes
 *
 * They are in use already: no cap or reservation is checked, and they are
 * the tenant's even if the pool cannot commit them (they were, in the
 * kernel before, unless its pool is smaller now).
 */
void pcarvefs_tenant_adopt(struct pcarvefs_sb_info *sbi, u64 bytes)
{
	spin_lock(&pcarvefs_acct_lock);
	if (pcarvefs_recommit(sbi, sbi->cap, sbi->used + bytes))
		pr_warn_once("node%d tenant '%s': holds %llu bytes, more than its pool can commit beside the other tenants\n",
			     sbi->nid, sbi->tenant, sbi->used + bytes);
	sbi->used += bytes;
	spin_unlock(&pcarvefs_acct_lock);
}

/**
 * pcarvefs_tenant_reserve_id() - keep tenant numbers up to @id for the
 * trees a kexec handed over
 * @id: the highest number they use
 */
void pcarvefs_tenant_reserve_id(u32 id)
{
	spin_lock(&pcarvefs_acct_lock);
	pcarvefs_last_id = max(pcarvefs_last_id, min(id, PCARVEFS_TENANT_ID_MAX));
	spin_unlock(&pcarvefs_acct_lock);
}

/**
 * pcarvefs_tenant_grab() - an active reference to every mounted tree
 * @sbs: where to store them, or NULL to count
 * @max: room in @sbs
 *
 * Return: how many were stored, or counted.
 */
unsigned int pcarvefs_tenant_grab(struct super_block **sbs, unsigned int max)
{
	struct pcarvefs_sb_info *sbi;
	unsigned int n = 0;
	int nid;

	spin_lock(&pcarvefs_acct_lock);
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		list_for_each_entry(sbi, &pcarvefs_tenants[nid], node) {
			if (!sbs) {
				n++;
				continue;
			}
			if (n < max && atomic_inc_not_zero(&sbi->sb->s_active))
				sbs[n++] = sbi->sb;
		}
	}
	spin_unlock(&pcarvefs_acct_lock);
	return n;
}
