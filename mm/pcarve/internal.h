/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcarve internals shared by the files of mm/pcarve/.
 */
#ifndef _MM_PCARVE_INTERNAL_H
#define _MM_PCARVE_INTERNAL_H

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

/**
 * struct pcarve_pool - the pool of one node
 * @nid: its node
 * @mode: how it is kept
 * @granule: alignment of every extent, and the allocation unit
 * @size: total bytes in @extents
 * @nr_extents: number of entries in @extents
 * @extents: the ranges, highest address first
 * @lock: protects @used
 * @used: bytes handed out to owners
 * @unmapped: the direct map of every extent has been removed
 * @extents_storage: where @extents live
 */
struct pcarve_pool {
	int nid;
	enum pcarve_mode mode;
	u64 granule;
	u64 size;
	unsigned int nr_extents;
	struct pcarve_extent *extents;
	spinlock_t lock;	/* protects @used */
	u64 used;
	bool unmapped;
	struct pcarve_extent extents_storage[];
};

extern struct pcarve_pool *pcarve_pools[MAX_NUMNODES];

static inline bool pcarve_pool_exists(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && pcarve_pools[nid];
}

u64 pcarve_pool_used(struct pcarve_pool *pool);

#endif /* _MM_PCARVE_INTERNAL_H */
