/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the pcarve selftests: reading sysfs and procfs files
 * and the pools the test expects.  Built against nolibc or a libc.
 */
#ifndef PCARVE_UTIL_H
#define PCARVE_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCARVE_SYS	"/sys/kernel/mm/pcarve"
#define PCARVE_MAX_EXT	64
#define PCARVE_MAX_NODES	64

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

struct pcarve_ext {
	unsigned long long start, end;	/* inclusive */
};

/* length of the run of s before c or the end (nolibc has no strcspn) */
static inline size_t span_to(const char *s, char c)
{
	size_t n = 0;

	while (s[n] && s[n] != c)
		n++;
	return n;
}

/* read a whole small file into buf; return its length or -errno */
static inline int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY), len = 0, n;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return -errno;
	buf[len] = '\0';
	return len;
}

/* the first number in a file, or -1 */
static inline long long read_num(const char *path)
{
	char buf[64];

	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 0);
}

static inline int read_word(const char *path, char *word, size_t size)
{
	int len = read_file(path, word, size);

	if (len > 0 && word[len - 1] == '\n')
		word[--len] = '\0';
	return len;
}

/* "1G", "2M", "4096" -> bytes; 0 when malformed */
static inline unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	switch (*end) {
	case 'K': return v << 10;
	case 'M': return v << 20;
	case 'G': return v << 30;
	case 'T': return v << 40;
	case '\0': case ':': case ' ': return v;
	}
	return 0;
}

/* the value of "key" in a "key value" file such as /proc/vmstat */
static inline long long read_key(const char *path, const char *key)
{
	static char buf[16384];
	size_t klen = strlen(key);
	char *p;

	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
	return -1;
}

/* MemTotal of one node, in kB */
static inline long long node_memtotal_kb(int nid)
{
	static char buf[4096];
	char path[96], *p;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/node/node%d/meminfo", nid);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, "MemTotal:");
	return p ? strtoll(p + strlen("MemTotal:"), NULL, 10) : -1;
}

/* the extents of node nid's pool; returns how many, or -1 */
static inline int pool_extents(int nid, struct pcarve_ext *ext, int max)
{
	static char buf[8192];
	char path[96], *p = buf, *end;
	int n = 0;

	snprintf(path, sizeof(path), PCARVE_SYS "/node%d/extents", nid);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	while (*p && n < max) {
		ext[n].start = strtoull(p, &end, 16);
		if (*end != '-')
			return -1;
		ext[n].end = strtoull(end + 1, &end, 16);
		if (*end != '\n')
			return -1;
		p = end + 1;
		n++;
	}
	return n;
}

static inline long long env_num(const char *name)
{
	const char *v = getenv(name);

	return v ? strtoll(v, NULL, 0) : -1;
}

#define PROBE		"/sys/kernel/debug/pcarve/probe"

/* "mapped" or "fault" for a physical address, from the debugfs probe */
static inline int probe(unsigned long long addr, char *res, size_t len)
{
	char buf[64];
	int fd, n;

	fd = open(PROBE, O_WRONLY);
	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "0x%llx", addr);
	if (write(fd, buf, n) != n) {
		close(fd);
		return -1;
	}
	close(fd);
	if (read_word(PROBE, buf, sizeof(buf)) <= 0)
		return -1;
	snprintf(res, len, "%s", strchr(buf, ' ') ? strchr(buf, ' ') + 1 : "");
	return 0;
}

#endif /* PCARVE_UTIL_H */
