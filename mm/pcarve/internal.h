/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcarve internals shared by the files of mm/pcarve/.
 */
#ifndef _MM_PCARVE_INTERNAL_H
#define _MM_PCARVE_INTERNAL_H

#include <linux/memblock.h>
#include <linux/numa.h>
#include <linux/pcarve.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* at most one pool per node, so never more specs than nodes */
#define PCARVE_MAX_SPECS	MAX_NUMNODES

/* largest node number the parser accepts before calling it an overflow */
#define PCARVE_NID_LIMIT	((1U << 16) - 1)

/**
 * struct pcarve_spec - one parsed ``node<N>:<size>[:<option>...]`` entry
 * @nid: node number as written (not yet checked against online nodes)
 * @size: pool size in bytes, a non-zero multiple of @granule
 * @granule: extent alignment and allocation unit, SZ_1G or SZ_2M
 * @mode: how the pool is kept
 */
struct pcarve_spec {
	unsigned int nid;
	u64 size;
	u64 granule;
	enum pcarve_mode mode;
};

/* why pcarve_parse() rejected a parameter; see pcarve_parse_reason() */
enum pcarve_parse_err {
	PCARVE_OK,
	PCARVE_ERR_EMPTY,
	PCARVE_ERR_EMPTY_SPEC,
	PCARVE_ERR_NODE,
	PCARVE_ERR_NODE_RANGE,
	PCARVE_ERR_NO_SIZE,
	PCARVE_ERR_SIZE,
	PCARVE_ERR_SIZE_RANGE,
	PCARVE_ERR_SIZE_ZERO,
	PCARVE_ERR_EMPTY_OPTION,
	PCARVE_ERR_OPTION,
	PCARVE_ERR_DUP_OPTION,
	PCARVE_ERR_MODE_CONFLICT,
	PCARVE_ERR_GRANULE_CONFLICT,
	PCARVE_ERR_UNALIGNED,
	PCARVE_ERR_DUP_NODE,
	PCARVE_ERR_TOO_MANY,
};

/**
 * struct pcarve_parse_error - where and why a parameter was rejected
 * @reason: what is wrong
 * @tok: the offending token (points into the parsed string)
 * @tok_len: its length
 */
struct pcarve_parse_error {
	enum pcarve_parse_err reason;
	const char *tok;
	size_t tok_len;
};

int pcarve_parse(const char *str, struct pcarve_spec *specs, int max_specs,
		 struct pcarve_parse_error *err);
const char *pcarve_parse_reason(enum pcarve_parse_err reason);
const char *pcarve_mode_name(enum pcarve_mode mode);

/**
 * struct pcarve_extent - one physically contiguous, granule-aligned range
 * @start: first byte
 * @size: length in bytes, a multiple of the pool's granule
 */
struct pcarve_extent {
	phys_addr_t start;
	phys_addr_t size;
};

/*
 * Most extents one pool may have: 64 ranges of at most 38 characters keep
 * the extents file in one page.
 */
#define PCARVE_MAX_EXTENTS	64

/**
 * struct pcarve_boot_extent - an extent while its pool is carved
 * @start: first byte
 * @size: length in bytes
 * @flags: the memblock.memory flags of the region it came from, restored
 *	   if the pool is given back
 */
struct pcarve_boot_extent {
	phys_addr_t start;
	phys_addr_t size;
	enum memblock_flags flags;
};

/**
 * struct pcarve_place - placing one pool; see place.c
 * @nid: its node
 * @mode: its mode
 * @granule: its granule
 * @avoid: memblock.memory flags of regions it must not use
 * @low_limit: end of low memory (ARCH_LOW_ADDRESS_LIMIT + 1)
 * @low_free: free memory below @low_limit, on every node
 * @low_keep: how much of @low_free must stay free
 * @has_high: the node has free memory above @low_limit
 * @nr: extents taken so far
 * @ext: the extents, highest address first
 */
struct pcarve_place {
	int nid;
	enum pcarve_mode mode;
	u64 granule;
	enum memblock_flags avoid;
	phys_addr_t low_limit;
	u64 low_free;
	u64 low_keep;
	bool has_high;
	unsigned int nr;
	struct pcarve_boot_extent ext[PCARVE_MAX_EXTENTS];
};

bool pcarve_place_init(struct pcarve_place *p, int nid, enum pcarve_mode mode,
		       u64 granule, u64 low_keep);
void pcarve_capacity(const struct pcarve_place *p, u64 *free, u64 *aligned);
int pcarve_place_pool(struct pcarve_place *p, u64 size);
void pcarve_give_back(struct pcarve_place *p);

/**
 * enum pcarve_pool_state - whether a pool can be used
 * @PCARVE_POOL_ACTIVE: carved and isolated as its mode says
 * @PCARVE_POOL_QUARANTINED: carved, but something after the carve failed:
 *	its memory stays out of the page allocator and is never handed out
 */
enum pcarve_pool_state {
	PCARVE_POOL_ACTIVE,
	PCARVE_POOL_QUARANTINED,
};

/**
 * struct pcarve_pool - the pool of one node
 * @nid: its node
 * @mode: how it is kept
 * @granule: alignment of every extent, and the allocation unit
 * @size: total bytes in @extents
 * @nr_extents: number of entries in @extents
 * @extents: the ranges, highest address first
 * @lock: protects @used, @state and @reason
 * @used: bytes handed out to owners
 * @unmapped: the direct map of every extent has been removed
 * @state: whether it can be used
 * @reason: why it is quarantined (a static string), or NULL
 * @extents_storage: where @extents live
 */
struct pcarve_pool {
	int nid;
	enum pcarve_mode mode;
	u64 granule;
	u64 size;
	unsigned int nr_extents;
	struct pcarve_extent *extents;
	spinlock_t lock;	/* protects @used, @state, @reason */
	u64 used;
	bool unmapped;
	enum pcarve_pool_state state;
	const char *reason;
	struct pcarve_extent extents_storage[];
};

extern struct pcarve_pool *pcarve_pools[MAX_NUMNODES];

static inline bool pcarve_pool_exists(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && pcarve_pools[nid];
}

u64 pcarve_pool_used(struct pcarve_pool *pool);
u64 pcarve_pool_free(struct pcarve_pool *pool);
void pcarve_quarantine(struct pcarve_pool *pool, const char *reason);
bool pcarve_pool_contains(phys_addr_t addr);

#endif /* _MM_PCARVE_INTERNAL_H */
