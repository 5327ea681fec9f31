// SPDX-License-Identifier: GPL-2.0
/*
 * pcarvefs across kexec: its part of pcarve's handover record.
 *
 * At a kexec (mm/pcarve/kho.c calls in from the reboot notifier) every
 * mounted tree is frozen, so that nothing changes it any more, and written
 * out: its tenant, every inode with its chunks in file order, and every
 * name, parents before children (include/linux/kho/abi/pcarve.h).  Files
 * whose handover flag is off, and files already unlinked, are left out;
 * their chunks are free memory in the next kernel.
 *
 * At boot the next kernel mounts each recorded tree inside the kernel
 * (pcarvefs_restore_init()), so the trees, and the tenants' reservations,
 * exist before any user mount; a tree is rebuilt from the record, its
 * files taking back their chunks from the allocator by owner tag.  The
 * first mount of the tree by user space takes it over: from then on it
 * lives as any other, until its last unmount.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kho/abi/pcarve.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <uapi/linux/pcarvefs.h>

#include "internal.h"

/* the trees frozen for the kexec, each with an active reference */
static struct super_block **pcarvefs_sealed;
static unsigned int pcarvefs_nr_sealed;

static int pcarvefs_seal(void)
{
	unsigned int n, i;
	int ret = 0;

	n = pcarvefs_tenant_grab(NULL, 0);
	pcarvefs_sealed = kcalloc(n ?: 1, sizeof(*pcarvefs_sealed),
				  GFP_KERNEL);
	if (!pcarvefs_sealed)
		return -ENOMEM;
	pcarvefs_nr_sealed = pcarvefs_tenant_grab(pcarvefs_sealed, n);
	for (i = 0; i < pcarvefs_nr_sealed; i++) {
		int err = freeze_super(pcarvefs_sealed[i],
				       FREEZE_HOLDER_KERNEL, NULL);

		if (err)
			ret = err;
	}
	return ret;
}

/* what the walk of the sealed trees counts, then writes */
struct pcarvefs_out {
	struct pcarvefs_kho_header *h;
	struct pcarvefs_kho_tenant *tenants;
	struct pcarvefs_kho_inode *inodes;
	struct pcarvefs_kho_dirent *dirents;
	u64 *fmap;
	char *names;
	u32 nr_tenants;
	u32 nr_inodes;
	u32 nr_dirents;
	u64 nr_fmap;
	u64 names_size;
	bool write;
	bool overflow;
};

static u64 pcarvefs_out_name(struct pcarvefs_out *o, const char *name,
			     u32 len)
{
	u64 off = o->names_size;

	if (o->write) {
		if (off + len > o->h->names_size) {
			o->overflow = true;
			return 0;
		}
		memcpy(o->names + off, name, len);
	}
	o->names_size += len;
	return off;
}

static bool pcarvefs_out_inode_wanted(struct inode *inode)
{
	if (inode_state_read_once(inode) & (I_NEW | I_FREEING | I_WILL_FREE))
		return false;
	if (!inode->i_nlink)
		return false;
	return S_ISDIR(inode->i_mode) ||
	       (PCARVEFS_I(inode)->flags & PCARVEFS_HANDOVER);
}

static u16 pcarvefs_depth(struct dentry *dentry)
{
	u16 depth = 0;

	while (!IS_ROOT(dentry) && depth < U16_MAX) {
		dentry = dentry->d_parent;
		depth++;
	}
	return depth;
}

static void pcarvefs_out_inode(struct pcarvefs_out *o, struct inode *inode,
			       u32 tenant)
{
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	struct pcarvefs_kho_inode *r;
	struct pcarve_chunk *chunk;
	struct dentry *dentry;
	unsigned long idx;
	u64 name_off;
	u32 nr = 0;

	if (o->write && o->nr_inodes >= o->h->nr_inodes) {
		o->overflow = true;
		return;
	}
	r = o->write ? &o->inodes[o->nr_inodes] : NULL;
	if (r) {
		r->first_fmap = o->nr_fmap;
		r->ino = inode->i_ino;
		r->tenant = tenant;
		r->mode = inode->i_mode;
		r->uid = from_kuid(&init_user_ns, inode->i_uid);
		r->gid = from_kgid(&init_user_ns, inode->i_gid);
		r->flags = S_ISREG(inode->i_mode) ? pi->flags : 0;
		r->size = i_size_read(inode);
		r->atime_sec = inode_get_atime_sec(inode);
		r->atime_nsec = inode_get_atime_nsec(inode);
		r->mtime_sec = inode_get_mtime_sec(inode);
		r->mtime_nsec = inode_get_mtime_nsec(inode);
		r->ctime_sec = inode_get_ctime_sec(inode);
		r->ctime_nsec = inode_get_ctime_nsec(inode);
	}
	o->nr_inodes++;
	if (S_ISREG(inode->i_mode)) {
		xa_for_each(&pi->chunks, idx, chunk) {
			if (o->write) {
				if (o->nr_fmap >= o->h->nr_fmap) {
					o->overflow = true;
					break;
				}
				o->fmap[o->nr_fmap] = pcarve_chunk_phys(chunk);
			}
			o->nr_fmap++;
			nr++;
		}
	}
	if (r)
		r->nr_fmap = nr;

	/* its names: a directory has one, a file one per hard link */
	spin_lock(&inode->i_lock);
	for_each_alias(dentry, inode) {
		struct pcarvefs_kho_dirent *d;

		if (IS_ROOT(dentry) || d_unhashed(dentry))
			continue;
		if (o->write && o->nr_dirents >= o->h->nr_dirents) {
			o->overflow = true;
			break;
		}
		d = o->write ? &o->dirents[o->nr_dirents] : NULL;
		o->nr_dirents++;
		spin_lock(&dentry->d_lock);
		name_off = pcarvefs_out_name(o, dentry->d_name.name,
					     dentry->d_name.len);
		if (d) {
			d->parent = d_inode(dentry->d_parent)->i_ino;
			d->ino = inode->i_ino;
			d->tenant = tenant;
			d->name_len = dentry->d_name.len;
			d->depth = pcarvefs_depth(dentry);
			d->name_off = name_off;
		}
		spin_unlock(&dentry->d_lock);
	}
	spin_unlock(&inode->i_lock);
}

static void pcarvefs_out_tree(struct pcarvefs_out *o, struct super_block *sb)
{
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(sb);
	u32 t = o->nr_tenants;
	struct inode *inode;
	u64 name_off;

	if (o->write) {
		struct pcarvefs_kho_tenant *r = &o->tenants[t];

		if (t >= o->h->nr_tenants) {
			o->overflow = true;
			return;
		}
		r->nid = sbi->nid;
		r->id = sbi->id;
		r->cap = sbi->cap;
		r->next_ino = atomic64_read(&sbi->next_ino);
		r->root_ino = d_inode(sb->s_root)->i_ino;
		r->name_len = strlen(sbi->tenant);
	}
	o->nr_tenants++;
	name_off = pcarvefs_out_name(o, sbi->tenant, strlen(sbi->tenant));
	if (o->write)
		o->tenants[t].name_off = name_off;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		if (pcarvefs_out_inode_wanted(inode))
			pcarvefs_out_inode(o, inode, t);
	spin_unlock(&sb->s_inode_list_lock);
}

/* the trees of pools whose handover switch is off stay behind */
static void pcarvefs_out_walk(struct pcarvefs_out *o)
{
	struct pcarve_pool_info info;
	unsigned int i;

	for (i = 0; i < pcarvefs_nr_sealed; i++) {
		struct super_block *sb = pcarvefs_sealed[i];

		if (!pcarve_pool_info(PCARVEFS_SB(sb)->nid, &info) &&
		    info.handover)
			pcarvefs_out_tree(o, sb);
	}
}

/* the layout of the part for the counts in @o; returns its size */
static size_t pcarvefs_out_layout(struct pcarvefs_kho_header *h,
				  const struct pcarvefs_out *o)
{
	u64 off = ALIGN(sizeof(*h), 8);

	h->nr_tenants = o->nr_tenants;
	h->tenants_off = off;
	off = ALIGN(off + o->nr_tenants * sizeof(struct pcarvefs_kho_tenant), 8);
	h->nr_inodes = o->nr_inodes;
	h->inodes_off = off;
	off = ALIGN(off + (u64)o->nr_inodes * sizeof(struct pcarvefs_kho_inode),
		    8);
	h->nr_dirents = o->nr_dirents;
	h->dirents_off = off;
	off = ALIGN(off + (u64)o->nr_dirents *
		    sizeof(struct pcarvefs_kho_dirent), 8);
	h->nr_fmap = o->nr_fmap;
	h->fmap_off = off;
	off += o->nr_fmap * sizeof(u64);
	h->names_size = o->names_size;
	h->names_off = off;
	return ALIGN(off + o->names_size, 8);
}

static size_t pcarvefs_out_size(void)
{
	struct pcarvefs_kho_header h = {};
	struct pcarvefs_out o = {};

	pcarvefs_out_walk(&o);
	if (!o.nr_tenants)
		return 0;
	return pcarvefs_out_layout(&h, &o);
}

static int pcarvefs_cmp_depth(const void *a, const void *b)
{
	const struct pcarvefs_kho_dirent *x = a, *y = b;

	return x->depth - y->depth;
}

static int pcarvefs_out_write(void *buf, size_t size)
{
	struct pcarvefs_kho_header *h = buf;
	struct pcarvefs_out o = {};

	pcarvefs_out_walk(&o);
	if (pcarvefs_out_layout(h, &o) > size)
		return -E2BIG;
	memset(&o, 0, sizeof(o));
	o.h = h;
	o.write = true;
	o.tenants = buf + h->tenants_off;
	o.inodes = buf + h->inodes_off;
	o.dirents = buf + h->dirents_off;
	o.fmap = buf + h->fmap_off;
	o.names = buf + h->names_off;
	pcarvefs_out_walk(&o);
	if (o.overflow)
		return -E2BIG;
	/* what was written, if the trees gave less than they were sized for */
	h->nr_tenants = o.nr_tenants;
	h->nr_inodes = o.nr_inodes;
	h->nr_dirents = o.nr_dirents;
	h->nr_fmap = o.nr_fmap;
	sort(o.dirents, o.nr_dirents, sizeof(*o.dirents), pcarvefs_cmp_depth,
	     NULL);
	pr_info("handover: %u trees, %u inodes, %u names, %llu chunks\n",
		o.nr_tenants, o.nr_inodes, o.nr_dirents, o.nr_fmap);
	return 0;
}

static const struct pcarve_handover_fs pcarvefs_handover_ops = {
	.seal	= pcarvefs_seal,
	.size	= pcarvefs_out_size,
	.write	= pcarvefs_out_write,
	.owner_bit = PCARVEFS_OWNER_BIT,
};

/* the next kernel */

static const struct pcarvefs_kho_header *pcarvefs_in;
static size_t pcarvefs_in_size;
/* per recorded tenant: restored already */
static unsigned long *pcarvefs_in_done;

static const void *pcarvefs_in_at(u64 off)
{
	return (const void *)pcarvefs_in + off;
}

static bool pcarvefs_in_table_ok(u64 off, u64 n, size_t size)
{
	u64 bytes, end;

	return !check_mul_overflow(n, (u64)size, &bytes) &&
	       !check_add_overflow(off, bytes, &end) &&
	       off >= sizeof(*pcarvefs_in) && end <= pcarvefs_in_size;
}

static bool pcarvefs_in_name_ok(u64 off, u64 len)
{
	const struct pcarvefs_kho_header *h = pcarvefs_in;

	return off <= h->names_size && len <= h->names_size - off;
}

/**
 * pcarvefs_restore_find() - the recorded tree of a node's tenant
 * @nid: the node
 * @tenant: the tenant's name
 *
 * Return: its index in the tenant table, or -1 if it is not recorded or
 * was restored already.
 */
int pcarvefs_restore_find(int nid, const char *tenant)
{
	const struct pcarvefs_kho_tenant *t;
	const char *names;
	u32 i;

	if (!pcarvefs_in)
		return -1;
	t = pcarvefs_in_at(pcarvefs_in->tenants_off);
	names = pcarvefs_in_at(pcarvefs_in->names_off);
	for (i = 0; i < pcarvefs_in->nr_tenants; i++) {
		if (t[i].nid != nid || test_bit(i, pcarvefs_in_done) ||
		    !pcarvefs_in_name_ok(t[i].name_off, t[i].name_len) ||
		    t[i].name_len != strlen(tenant) ||
		    memcmp(names + t[i].name_off, tenant, t[i].name_len))
			continue;
		return i;
	}
	return -1;
}

/**
 * pcarvefs_restore_sbi() - what a recorded tree's superblock is
 * @t: its index
 * @sbi: the superblock's info, to fill
 */
void pcarvefs_restore_sbi(int t, struct pcarvefs_sb_info *sbi)
{
	const struct pcarvefs_kho_tenant *r = pcarvefs_in_at(pcarvefs_in->tenants_off);

	sbi->id = r[t].id;
	sbi->cap = r[t].cap;
	atomic64_set(&sbi->next_ino, r[t].next_ino);
}

struct pcarvefs_claim {
	int nid;
	const u64 *fmap;
	struct pcarve_chunk **chunks;
	u32 *order;	/* indices of @fmap, by address */
	u32 nr;
};

static int pcarvefs_claim_one(struct pcarve_chunk *chunk, void *arg)
{
	struct pcarvefs_claim *c = arg;
	phys_addr_t addr = pcarve_chunk_phys(chunk);
	u32 lo = 0, hi = c->nr;

	if (pcarve_chunk_nid(chunk) != c->nid)
		return 0;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		u64 a = c->fmap[c->order[mid]];

		if (a == addr) {
			c->chunks[c->order[mid]] = chunk;
			return 0;
		}
		if (a < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int pcarvefs_cmp_fmap(const void *a, const void *b, const void *priv)
{
	const u64 *fmap = priv;
	u64 x = fmap[*(const u32 *)a];
	u64 y = fmap[*(const u32 *)b];

	return x < y ? -1 : x > y;
}

/* give a restored file its chunks back, by owner tag and address */
static int pcarvefs_restore_chunks(struct inode *inode,
				   const struct pcarvefs_kho_inode *r)
{
	const u64 *fmap = pcarvefs_in_at(pcarvefs_in->fmap_off);
	struct pcarvefs_claim c = {
		.nid = PCARVEFS_SB(inode->i_sb)->nid,
		.nr = r->nr_fmap,
	};
	u64 backed;
	u32 i;
	int ret = -ENOMEM;

	if (!r->nr_fmap)
		return 0;
	if (r->first_fmap > pcarvefs_in->nr_fmap ||
	    r->nr_fmap > pcarvefs_in->nr_fmap - r->first_fmap)
		return -EINVAL;
	c.fmap = fmap + r->first_fmap;
	c.chunks = kvcalloc(c.nr, sizeof(*c.chunks), GFP_KERNEL);
	c.order = kvcalloc(c.nr, sizeof(*c.order), GFP_KERNEL);
	if (!c.chunks || !c.order)
		goto out;
	for (i = 0; i < c.nr; i++)
		c.order[i] = i;
	sort_r(c.order, c.nr, sizeof(*c.order), pcarvefs_cmp_fmap, NULL,
	       c.fmap);
	pcarve_walk_owned(pcarvefs_owner(inode), pcarvefs_claim_one, &c);
	for (i = 0; i < c.nr && c.chunks[i]; i++)
		;
	if (i < c.nr)
		pr_err("handover: inode %llu: chunk %u of %u ([mem %#llx]) is not in the pool: the file ends before it\n",
		       inode->i_ino, i, c.nr, c.fmap[i]);
	ret = pcarvefs_adopt(inode, c.chunks, i, &backed);
	if (!ret && r->size > backed) {
		pr_err("handover: inode %llu: size %llu but only %llu bytes backed: cut there\n",
		       inode->i_ino, r->size, backed);
		i_size_write(inode, backed);
	}
out:
	kvfree(c.order);
	kvfree(c.chunks);
	return ret;
}

static struct inode *pcarvefs_restore_inode(struct super_block *sb,
					    const struct pcarvefs_kho_inode *r)
{
	struct inode *inode;
	int ret;

	if (!S_ISREG(r->mode) && !S_ISDIR(r->mode))
		return ERR_PTR(-EINVAL);
	inode = pcarvefs_new_inode(sb, NULL, r->mode, r->ino);
	if (IS_ERR(inode))
		return inode;
	inode->i_uid = make_kuid(&init_user_ns, r->uid);
	inode->i_gid = make_kgid(&init_user_ns, r->gid);
	if (!uid_valid(inode->i_uid) || !gid_valid(inode->i_gid)) {
		iput(inode);
		return ERR_PTR(-EINVAL);
	}
	if (S_ISREG(r->mode)) {
		PCARVEFS_I(inode)->flags = r->flags & PCARVEFS_FLAGS;
		i_size_write(inode, r->size);
		ret = pcarvefs_restore_chunks(inode, r);
		if (ret) {
			/* chunks it took already stay allocated, with data */
			pcarvefs_detach(inode);
			iput(inode);
			return ERR_PTR(ret);
		}
	}
	return inode;
}

static void pcarvefs_restore_times(struct inode *inode,
				   const struct pcarvefs_kho_inode *r)
{
	inode_set_atime(inode, r->atime_sec,
			min_t(u32, r->atime_nsec, NSEC_PER_SEC - 1));
	inode_set_mtime(inode, r->mtime_sec,
			min_t(u32, r->mtime_nsec, NSEC_PER_SEC - 1));
	inode_set_ctime(inode, r->ctime_sec,
			min_t(u32, r->ctime_nsec, NSEC_PER_SEC - 1));
}

/**
 * pcarvefs_restore_tree() - rebuild a recorded tree in a new superblock
 * @sb: the superblock, with its root
 * @t: the tree's index in the tenant table
 *
 * What cannot be restored is said and left out; its chunks stay allocated
 * to the tenant's owner tags, not handed to anyone else.
 *
 * Return: 0, or -ENOMEM.
 */
int pcarvefs_restore_tree(struct super_block *sb, int t)
{
	const struct pcarvefs_kho_inode *ri = pcarvefs_in_at(pcarvefs_in->inodes_off);
	const struct pcarvefs_kho_dirent *rd = pcarvefs_in_at(pcarvefs_in->dirents_off);
	const struct pcarvefs_kho_tenant *rt = pcarvefs_in_at(pcarvefs_in->tenants_off);
	const char *names = pcarvefs_in_at(pcarvefs_in->names_off);
	struct inode *root = d_inode(sb->s_root);
	u32 i, files = 0, dirs = 0, bad = 0;
	struct xarray inodes, dentries;
	struct inode *inode;
	unsigned long ino;
	int ret = 0;

	set_bit(t, pcarvefs_in_done);
	xa_init(&inodes);
	xa_init(&dentries);
	root->i_ino = rt[t].root_ino;
	if (xa_insert(&dentries, root->i_ino, sb->s_root, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto out;
	}

	for (i = 0; i < pcarvefs_in->nr_inodes; i++) {
		const struct pcarvefs_kho_inode *r = &ri[i];

		if (r->tenant != t)
			continue;
		if (r->ino == rt[t].root_ino) {
			kuid_t uid = make_kuid(&init_user_ns, r->uid);
			kgid_t gid = make_kgid(&init_user_ns, r->gid);

			root->i_mode = S_IFDIR | (r->mode & S_IALLUGO);
			if (uid_valid(uid) && gid_valid(gid)) {
				root->i_uid = uid;
				root->i_gid = gid;
			}
			pcarvefs_restore_times(root, r);
			continue;
		}
		/* a number used twice, or past the last one handed out */
		if (xa_load(&inodes, r->ino) || r->ino > rt[t].next_ino) {
			pr_err("handover: node%d: inode %llu is recorded twice or out of range\n",
			       PCARVEFS_SB(sb)->nid, r->ino);
			bad++;
			continue;
		}
		inode = pcarvefs_restore_inode(sb, r);
		if (IS_ERR(inode)) {
			pr_err("handover: node%d: inode %llu cannot be restored (%pe)\n",
			       PCARVEFS_SB(sb)->nid, r->ino, inode);
			bad++;
			continue;
		}
		/* "." for a directory; each name adds one */
		set_nlink(inode, S_ISDIR(inode->i_mode));
		if (xa_insert(&inodes, inode->i_ino, inode, GFP_KERNEL)) {
			/* short of memory: the chunks stay with their owner */
			pr_err("handover: node%d: inode %llu: no memory to restore it; its chunks stay allocated\n",
			       PCARVEFS_SB(sb)->nid, r->ino);
			pcarvefs_detach(inode);
			clear_nlink(inode);
			iput(inode);
			ret = -ENOMEM;
		}
	}

	for (i = 0; i < pcarvefs_in->nr_dirents; i++) {
		const struct pcarvefs_kho_dirent *d = &rd[i];
		struct dentry *parent, *child;
		struct qstr name;

		if (d->tenant != t)
			continue;
		parent = xa_load(&dentries, d->parent);
		inode = xa_load(&inodes, d->ino);
		if (!parent || !inode || !d->name_len ||
		    d->name_len > NAME_MAX ||
		    !pcarvefs_in_name_ok(d->name_off, d->name_len) ||
		    (S_ISDIR(inode->i_mode) && xa_load(&dentries, d->ino))) {
			bad++;
			continue;
		}
		name = (struct qstr)QSTR_INIT(names + d->name_off, d->name_len);
		if (memchr(name.name, '/', name.len) ||
		    memchr(name.name, '\0', name.len)) {
			bad++;
			continue;
		}
		child = try_lookup_noperm(&name, parent);
		if (!IS_ERR_OR_NULL(child))
			dput(child);
		if (child) {
			bad++;
			continue;
		}
		child = d_alloc(parent, &name);
		if (!child) {
			ret = -ENOMEM;
			continue;
		}
		if (S_ISDIR(inode->i_mode)) {
			if (xa_insert(&dentries, d->ino, child, GFP_KERNEL)) {
				dput(child);
				ret = -ENOMEM;
				continue;
			}
			inc_nlink(d_inode(parent));
			dirs++;
		} else {
			files += !inode->i_nlink;
		}
		if (inode->i_nlink)
			inc_nlink(inode);
		else
			set_nlink(inode, 1);
		ihold(inode);
		d_make_persistent(child, inode);
		dput(child);
	}

	/* times last: linking changed them */
	for (i = 0; i < pcarvefs_in->nr_inodes; i++) {
		inode = ri[i].tenant == t ? xa_load(&inodes, ri[i].ino) : NULL;
		if (inode)
			pcarvefs_restore_times(inode, &ri[i]);
	}
	pr_info("handover: node%d tenant '%s': %u files, %u directories restored%s\n",
		PCARVEFS_SB(sb)->nid, PCARVEFS_SB(sb)->tenant, files, dirs,
		bad ? ", some entries could not be (see above)" : "");
out:
	/*
	 * The table's references.  A file no name of the record reaches goes,
	 * chunks and all; one that lost its name to a lack of memory keeps
	 * its chunks allocated to its owner tag.
	 */
	xa_for_each(&inodes, ino, inode) {
		if (!inode->i_nlink || (S_ISDIR(inode->i_mode) &&
					!xa_load(&dentries, ino))) {
			if (ret)
				pcarvefs_detach(inode);
			pr_err("handover: node%d: inode %llu has no name%s; its chunks are %s\n",
			       PCARVEFS_SB(sb)->nid, inode->i_ino,
			       ret ? " (no memory)" : " in the record",
			       ret ? "kept allocated" : "freed");
			clear_nlink(inode);
		}
		iput(inode);
	}
	xa_destroy(&inodes);
	xa_destroy(&dentries);
	return ret;
}

/**
 * pcarvefs_unpin() - drop the kernel's mount of a tree restored at boot
 * @sbi: the tree, being mounted by user space (under its s_umount)
 *
 * From then on the tree lives until its last unmount, as any other.  The
 * mount is not MNT_INTERNAL: mntput() leaves its cleanup to task work, run
 * after the s_umount held here is dropped.
 */
void pcarvefs_unpin(struct pcarvefs_sb_info *sbi)
{
	struct vfsmount *mnt = xchg(&sbi->pin, NULL);

	if (mnt)
		mntput(mnt);
}

static bool __init pcarvefs_in_ok(const struct pcarvefs_kho_header *h)
{
	const struct pcarvefs_kho_tenant *t;
	const char *names;
	u32 i, j;

	if (pcarvefs_in_size < sizeof(*h))
		return false;
	pcarvefs_in = h;
	if (!pcarvefs_in_table_ok(h->tenants_off, h->nr_tenants,
				  sizeof(struct pcarvefs_kho_tenant)) ||
	    !pcarvefs_in_table_ok(h->inodes_off, h->nr_inodes,
				  sizeof(struct pcarvefs_kho_inode)) ||
	    !pcarvefs_in_table_ok(h->dirents_off, h->nr_dirents,
				  sizeof(struct pcarvefs_kho_dirent)) ||
	    !pcarvefs_in_table_ok(h->fmap_off, h->nr_fmap, sizeof(u64)) ||
	    !pcarvefs_in_table_ok(h->names_off, h->names_size, 1))
		return false;
	t = pcarvefs_in_at(h->tenants_off);
	names = pcarvefs_in_at(h->names_off);
	for (i = 0; i < h->nr_tenants; i++) {
		if (!pcarvefs_in_name_ok(t[i].name_off, t[i].name_len) ||
		    t[i].name_len > PCARVEFS_TENANT_MAX || !t[i].id ||
		    t[i].id > PCARVEFS_TENANT_ID_MAX ||
		    t[i].next_ino > PCARVEFS_INO_MAX ||
		    !t[i].root_ino || t[i].root_ino > t[i].next_ino)
			return false;
		/*
		 * one tree per (node, tenant), and one number per tree: owner
		 * tags do not name the node
		 */
		for (j = 0; j < i; j++)
			if (t[j].id == t[i].id ||
			    (t[j].nid == t[i].nid &&
			     t[j].name_len == t[i].name_len &&
			     !memcmp(names + t[j].name_off,
				     names + t[i].name_off, t[i].name_len)))
				return false;
	}
	return true;
}

/* mount every recorded tree inside the kernel: see the top of this file */
static void __init pcarvefs_restore_mounts(void)
{
	const struct pcarvefs_kho_tenant *t = pcarvefs_in_at(pcarvefs_in->tenants_off);
	const char *names = pcarvefs_in_at(pcarvefs_in->names_off);
	u32 i, max_id = 0;
	ktime_t start = ktime_get();

	for (i = 0; i < pcarvefs_in->nr_tenants; i++)
		max_id = max(max_id, t[i].id);
	pcarvefs_tenant_reserve_id(max_id);

	for (i = 0; i < pcarvefs_in->nr_tenants; i++) {
		char name[PCARVEFS_TENANT_MAX + 1] = "";
		struct vfsmount *mnt;
		char *opts;

		memcpy(name, names + t[i].name_off, t[i].name_len);
		if (strpbrk(name, ",=")) {
			pr_err("handover: node%u: a tenant name the mount options cannot carry; its tree is not restored and its chunks stay allocated\n",
			       t[i].nid);
			continue;
		}
		if (t[i].cap)
			opts = kasprintf(GFP_KERNEL, "node=%u%s%s,size=%llu",
					 t[i].nid, name[0] ? ",tenant=" : "",
					 name, t[i].cap);
		else
			opts = kasprintf(GFP_KERNEL, "node=%u%s%s", t[i].nid,
					 name[0] ? ",tenant=" : "", name);
		if (!opts)
			break;
		mnt = vfs_kern_mount(&pcarvefs_fs_type, 0, "pcarvefs", opts);
		kfree(opts);
		if (IS_ERR(mnt)) {
			pr_err("handover: node%u tenant '%s': the tree cannot be restored (%pe); its chunks stay allocated\n",
			       t[i].nid, name, mnt);
			continue;
		}
		PCARVEFS_SB(mnt->mnt_sb)->pin = mnt;
	}
	pr_info("handover: %u trees restored in %lld us\n",
		pcarvefs_in->nr_tenants,
		ktime_us_delta(ktime_get(), start));
}

/**
 * pcarvefs_handover_init() - take part in pcarve's handover, at boot
 *
 * Return: 0, or -ENOMEM.
 */
int __init pcarvefs_handover_init(void)
{
	const struct pcarvefs_kho_header *h;

	pcarve_handover_register_fs(&pcarvefs_handover_ops);
	h = pcarve_handover_fs_data(&pcarvefs_in_size);
	if (!h)
		return 0;
	if (!pcarvefs_in_ok(h)) {
		pcarvefs_in = NULL;
		pr_err("handover: the pcarvefs part of the record is damaged: no tree is restored, and the files' chunks stay allocated\n");
		return 0;
	}
	pcarvefs_in_done = bitmap_zalloc(max(pcarvefs_in->nr_tenants, 1U),
					 GFP_KERNEL);
	if (!pcarvefs_in_done) {
		pcarvefs_in = NULL;
		return -ENOMEM;
	}
	pcarvefs_restore_mounts();
	/* pcarve gives the record's pages back at late_initcall */
	pcarvefs_in = NULL;
	return 0;
}
