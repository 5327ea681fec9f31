/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tree pcarvefs_fill writes before a kexec and pcarvefs_handover checks
 * after it: every name, size, mode, owner, time, flag and byte follows from
 * the node and the file's number, so nothing has to survive the kexec but
 * the tree itself.
 *
 * Environment:
 *   PCARVEFS_HO_NODES  "N:FILES[,N:FILES...]": nodes with a pool, and the
 *			data files each tree gets (tenant "t<N>")
 *   PCARVEFS_HO_MB	MiB of data per file (about: sizes vary a little)
 *   PCARVEFS_HO_EMPTY	empty files on the first node
 *   PCARVEFS_HO_GONE	a node whose tree must not come back (handover off)
 *   PCARVEFS_HO_EXTRA	bytes of the first node's pool held by other owners
 */
#ifndef PCARVEFS_HO_H
#define PCARVEFS_HO_H

#include "pcarve_util.h"
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/pcarvefs.h>

#define HO_MNT		"/tmp/ho"
#define HO_MAX_NODES	8
#define HO_DIRS		8

struct ho_node {
	int nid;
	int files;
};

struct ho_conf {
	struct ho_node node[HO_MAX_NODES];
	int nr;
	unsigned long long mb;
	int empty;
	int gone;
};

static inline int ho_conf(struct ho_conf *c)
{
	const char *s = getenv("PCARVEFS_HO_NODES");

	memset(c, 0, sizeof(*c));
	c->mb = env_num("PCARVEFS_HO_MB") > 0 ? env_num("PCARVEFS_HO_MB") : 16;
	c->empty = env_num("PCARVEFS_HO_EMPTY") > 0 ?
		   env_num("PCARVEFS_HO_EMPTY") : 0;
	c->gone = env_num("PCARVEFS_HO_GONE");
	while (s && *s && c->nr < HO_MAX_NODES) {
		char *end;

		c->node[c->nr].nid = strtol(s, &end, 10);
		if (*end != ':')
			return -1;
		c->node[c->nr].files = strtol(end + 1, &end, 10);
		c->nr++;
		s = *end == ',' ? end + 1 : end;
	}
	return c->nr ? 0 : -1;
}

/* what file i of node nid is */
struct ho_file {
	char dir[64];
	char path[96];
	char link[96];		/* a second name, or "" */
	unsigned long long size;
	unsigned int mode, uid, gid;
	long long atime, mtime;
	int handover;
};

static inline void ho_file(int nid, int i, unsigned long long mb,
			   struct ho_file *f)
{
	snprintf(f->dir, sizeof(f->dir), HO_MNT "/n%d/d%d%s", nid,
		 i % HO_DIRS, i % 3 ? "" : "/sub");
	snprintf(f->path, sizeof(f->path), "%s/f%04d", f->dir, i);
	if (i % 10 == 0)
		snprintf(f->link, sizeof(f->link), HO_MNT "/n%d/links/l%04d",
			 nid, i);
	else
		f->link[0] = '\0';
	f->size = mb * 0x100000ULL - (i % 5) * 4096 - (i % 2 ? 123 : 0);
	f->mode = 0600 | ((i % 4) << 3);
	f->uid = 1000 + i;
	f->gid = 2000 + i;
	f->atime = 1600000000LL + i;
	f->mtime = 1700000000LL + i;
	f->handover = i % 16 != 5;
}

static inline unsigned long long ho_seed(int nid, int i)
{
	return 0x9e3779b97f4a7c15ULL * (nid + 1) + 0xbf58476d1ce4e5b9ULL * (i + 1);
}

/* the next word of file data (xorshift64*) */
static inline unsigned long long ho_next(unsigned long long *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545f4914f6cdd1dULL;
}

/*
 * How much of a file to map: a file mapped by folio is mapped whole folios
 * at a time (no PTE fallback), so up to its granule; one mapped by pfn,
 * just its size.
 */
static inline unsigned long long ho_map_len(int fd, unsigned long long size)
{
	struct pcarvefs_attr attr = {};

	if (ioctl(fd, PCARVEFS_IOC_GET_ATTR, &attr))
		return 0;
	if (attr.pool_mode == PCARVEFS_POOL_NOMAP ||
	    (attr.flags & PCARVEFS_UNMAPPED))
		return size;
	return (size + attr.granule - 1) / attr.granule * attr.granule;
}

/* mount node @nid's tree; @cap: size=, 0 for none (a tree that exists) */
static inline int ho_mount(int nid, unsigned long long cap)
{
	char dir[64], data[96];

	mkdir(HO_MNT, 0755);
	snprintf(dir, sizeof(dir), HO_MNT "/n%d", nid);
	mkdir(dir, 0755);
	if (cap)
		snprintf(data, sizeof(data), "node=%d,tenant=t%d,size=%llu",
			 nid, nid, cap);
	else
		snprintf(data, sizeof(data), "node=%d,tenant=t%d", nid, nid);
	/* noatime: reading must not change what the next stage checks */
	return mount("none", dir, "pcarvefs", MS_NOATIME, data) ? -errno : 0;
}

#endif /* PCARVEFS_HO_H */
