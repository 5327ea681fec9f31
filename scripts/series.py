#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make patches: the pcarve overlay as a git format-patch series.

Usage: series.py BASE_TREE OUT_DIR
       series.py --base BASE_TREE   (only make the repository; print its path)

BASE_TREE is the pristine 7.3 tree; a git repository of it is kept in
$PCARVE_CACHE/git/ (made once, read-only afterwards).  series/NN-*.txt say,
patch by patch in order, which overlay files it adds, which hook patches of
patches/ it applies, which Kconfig symbols it introduces, and why.  Files
that grow with the series are derived from their final version:

  - Kconfig files of the overlay keep the "config" blocks of the symbols
    introduced so far;
  - Makefiles of the overlay keep the objects whose source is there;
  - MAINTAINERS (patches/0012) keeps the F: lines of the pcarve entries
    whose files are there, so that every patch adding a file also adds it
    to MAINTAINERS.

Every overlay file, Kconfig symbol and hook must be placed exactly once,
and the last patch must give exactly the overlaid tree: checked here.
Writes OUT_DIR/0000-cover-letter.patch and one file per patch, and prints
the commit of each step ("step N COMMIT SUBJECT") for make patches-check.
"""

import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OVERLAY_DIRS = ['mm', 'include', 'arch', 'Documentation', 'kernel',
                'drivers', 'fs', 'tools']
# hook patches whose file is derived per step instead of applied once
DERIVED_HOOKS = {'0012-MAINTAINERS-add-pcarve-and-pcarvefs.patch'}


def die(msg):
    sys.exit('series: ' + msg)


def git(args, cwd=TOP, env=None, inp=None):
    r = subprocess.run(['git'] + args, cwd=cwd, env=env, input=inp,
                       capture_output=True, text=True)
    if r.returncode:
        die('git %s: %s' % (' '.join(args[:3]), r.stderr.strip()))
    return r.stdout


def read_series():
    steps = []
    d = os.path.join(TOP, 'series')
    for name in sorted(os.listdir(d)):
        if not re.match(r'\d\d-.*\.txt$', name):
            continue
        head, _, body = open(os.path.join(d, name)).read().partition('\n\n')
        st = {'name': name, 'subject': None, 'files': [], 'hooks': [],
              'kconfig': [], 'body': body.strip()}
        for line in head.splitlines():
            key, _, val = line.partition(':')
            key = key.strip().lower()
            if key == 'subject':
                st['subject'] = val.strip()
            elif key in ('files', 'hooks', 'kconfig'):
                st[key] += val.split()
            else:
                die('%s: unknown header %r' % (name, line))
        if not st['subject']:
            die('%s: no Subject:' % name)
        for line in st['body'].splitlines():
            if len(line) > 75:	# checkpatch's COMMIT_LOG_LONG_LINE
                die('%s: a line of %d columns: %s' % (name, len(line), line))
        steps.append(st)
    return steps


def hook_message(hook):
    """the description of a hook patch: its body up to ---"""
    text = open(os.path.join(TOP, 'patches', hook)).read()
    body = text.split('\n\n', 1)[1].split('\n---\n', 1)[0]
    return body.strip()


def kconfig_filter(text, allowed):
    blocks, cur = [[None, []]], None
    for line in text.splitlines(keepends=True):
        m = re.match(r'(menu)?config\s+(\w+)', line)
        if m:
            blocks.append([m.group(2), []])
        blocks[-1][1].append(line)
    out = ''.join(''.join(b[1]) for b in blocks
                  if b[0] is None or b[0] in allowed)
    return out.rstrip('\n') + '\n'


def kconfig_symbols(text):
    return re.findall(r'^(?:menu)?config\s+(\w+)', text, re.M)


def makefile_filter(path, text, present, overlay):
    d = os.path.dirname(path)
    out = []
    for line in text.splitlines(keepends=True):
        objs = re.findall(r'(\S+)\.o\b', line)
        if not objs or line.lstrip().startswith('#'):
            out.append(line)
            continue
        kept = line
        for o in objs:
            src = os.path.normpath(os.path.join(d, o + '.c'))
            if src in overlay and src not in present:
                kept = re.sub(r'[ \t]*\b' + re.escape(o) + r'\.o\b', '',
                              kept)
        if re.findall(r'(\S+)\.o\b', kept):
            out.append(kept)
    return ''.join(out)


def covered(pattern, present):
    """an F: file, or a directory (ending in /) holding a present file"""
    if pattern.endswith('/'):
        return any(f.startswith(pattern) for f in present)
    return pattern in present


def maintainers_filter(text, present):
    out, entry = [], []

    def flush():
        if entry and entry[0].startswith('PCARVE'):
            fl = [e for e in entry if not e.startswith('F:\t') or
                  covered(e[3:].rstrip('\n'), present)]
            if any(e.startswith('F:\t') for e in fl):
                out.extend(fl)
            else:		# no file yet: no entry, and no blank line
                return
        else:
            out.extend(entry)

    for line in text.splitlines(keepends=True):
        entry.append(line)
        if line == '\n':
            flush()
            entry = []
    flush()
    return ''.join(out)


def main():
    base_only = len(sys.argv) == 3 and sys.argv[1] == '--base'
    if len(sys.argv) != 3:
        die('usage: series.py BASE_TREE OUT_DIR | series.py --base BASE_TREE')
    base = os.path.realpath(sys.argv[2 if base_only else 1])
    outdir = None if base_only else sys.argv[2]
    cache = os.environ.get('PCARVE_CACHE',
                           os.path.expanduser('~/.cache/pcarve'))
    name = git(['config', 'user.name']).strip()
    email = git(['config', 'user.email']).strip()
    date = git(['log', '-1', '--format=%cD']).strip()
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email,
               GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)

    # the pristine tree as a git repository, once per base tree
    key = subprocess.run(['sha1sum'], input=base, capture_output=True,
                         text=True).stdout[:12]
    repo = os.path.join(cache, 'git', key)
    gd = ['--git-dir=' + repo]
    if not os.path.exists(os.path.join(repo, 'pcarve-base')):
        print('series: making a git repository of %s (once)' % base,
              file=sys.stderr)
        subprocess.run(['rm', '-rf', repo], check=True)
        git(['init', '-q', '--bare', repo])
        wt = gd + ['--work-tree=' + base]
        git(wt + ['add', '-A', '-f', '.'], cwd=base)
        benv = dict(env, GIT_AUTHOR_DATE='2026-01-01T00:00:00Z',
                    GIT_COMMITTER_DATE='2026-01-01T00:00:00Z')
        git(wt + ['commit', '-q', '-m', 'Linux 7.3 (%s)' % base], cwd=base,
            env=benv)
        commit = git(gd + ['rev-parse', 'HEAD']).strip()
        with open(os.path.join(repo, 'pcarve-base'), 'w') as f:
            f.write(commit + '\n')
    basecommit = open(os.path.join(repo, 'pcarve-base')).read().strip()
    if base_only:       # make check builds it while the first suite runs
        print(repo)
        return

    steps = read_series()
    overlay = set(git(['ls-files', '--'] + OVERLAY_DIRS).split())
    hooks = [h for h in open(os.path.join(TOP, 'patches/series')).read()
             .split() if h.endswith('.patch')]

    # each file, symbol and hook placed once
    placed = {}
    for i, st in enumerate(steps):
        for f in st['files'] + st['hooks']:
            if f in placed:
                die('%s is in %s and %s' % (f, placed[f], st['name']))
            placed[f] = st['name']
            if f not in overlay and f not in hooks:
                die('%s: %s is neither an overlay file nor a hook'
                    % (st['name'], f))
    for f in sorted(overlay | set(hooks) - DERIVED_HOOKS):
        if f not in placed:
            die('%s is in no patch of series/' % f)
    kfiles = sorted(f for f in overlay if os.path.basename(f) == 'Kconfig')
    symbols = []
    for f in kfiles:
        symbols += kconfig_symbols(open(os.path.join(TOP, f)).read())
    introduced = [s for st in steps for s in st['kconfig']]
    if sorted(symbols) != sorted(introduced):
        die('Kconfig symbols %s, introduced by series/: %s'
            % (sorted(symbols), sorted(introduced)))

    tmp = tempfile.mkdtemp()
    # commits are made from an index alone: the work tree stays empty
    os.mkdir(os.path.join(tmp, 'wt'))
    gd = gd + ['--work-tree=' + os.path.join(tmp, 'wt')]
    ienv = dict(env, GIT_INDEX_FILE=os.path.join(tmp, 'index'))
    git(gd + ['read-tree', basecommit], env=ienv)

    # MAINTAINERS as the overlay makes it, filtered per step below
    maint = None
    if DERIVED_HOOKS:
        menv = dict(env, GIT_INDEX_FILE=os.path.join(tmp, 'mindex'))
        git(gd + ['read-tree', basecommit], env=menv)
        for h in sorted(DERIVED_HOOKS):
            git(gd + ['apply', '--cached', os.path.join(TOP, 'patches', h)],
                env=menv)
        maint = git(gd + ['show', ':MAINTAINERS'], env=menv)

    last = {}

    if maint is not None:
        listed = re.findall(r'^F:\t(\S+)$', maint, re.M)
        for f in sorted(f for f in overlay
                        if not any(covered(p, {f}) for p in listed)):
            die('%s is not in the MAINTAINERS entries of %s'
                % (f, ', '.join(sorted(DERIVED_HOOKS))))

    # the index is written once per step (each update-index rewrites all
    # of its 90,000 entries)
    pending = []

    def put(path, content):
        if last.get(path) == content:
            return
        last[path] = content
        blob = git(gd + ['hash-object', '-w', '--stdin'], inp=content).strip()
        pending.append('100644 %s\t%s\0' % (blob, path))

    def flush():
        if pending:
            git(gd + ['update-index', '-z', '--index-info'], env=ienv,
                inp=''.join(pending))
            pending.clear()

    parent, present, allowed = basecommit, set(), set()
    os.makedirs(outdir, exist_ok=True)
    for old in os.listdir(outdir):
        if old.endswith('.patch'):
            os.unlink(os.path.join(outdir, old))
    for n, st in enumerate(steps, 1):
        present |= set(st['files'])
        allowed |= set(st['kconfig'])
        for h in st['hooks']:
            git(gd + ['apply', '--cached', os.path.join(TOP, 'patches', h)],
                env=ienv)
        for f in sorted(present):
            text = open(os.path.join(TOP, f)).read()
            if os.path.basename(f) == 'Kconfig':
                text = kconfig_filter(text, allowed)
            elif os.path.basename(f) == 'Makefile':
                text = makefile_filter(f, text, present, overlay)
            put(f, text)
        if maint is not None:
            put('MAINTAINERS', maintainers_filter(maint, present))
        flush()
        body = st['body'] or '\n\n'.join(hook_message(h)
                                         for h in st['hooks'])
        msg = '%s\n\n%s\n\nSigned-off-by: %s <%s>\n' % (st['subject'], body,
                                                      name, email)
        tree = git(gd + ['write-tree'], env=ienv).strip()
        parent = git(gd + ['commit-tree', tree, '-p', parent],
                     env=env, inp=msg).strip()
        print('step %d %s %s' % (n, parent, st['subject']))
    git(gd + ['update-ref', 'refs/heads/pcarve-series', parent])

    # the last step is the overlay exactly
    for f in sorted(overlay):
        got = git(gd + ['show', '%s:%s' % (parent, f)])
        if got != open(os.path.join(TOP, f)).read():
            die('%s: the series ends with another version of it' % f)

    git(gd + ['format-patch', '-q', '--cover-letter', '--thread',
              '-o', os.path.abspath(outdir), '%s..%s' % (basecommit, parent)],
        env=env)
    cover = os.path.join(outdir, '0000-cover-letter.patch')
    text = open(cover).read()
    blurb = open(os.path.join(TOP, 'series', 'cover.txt')).read()
    subj, _, blurb = blurb.partition('\n\n')
    figures = os.path.join(outdir, 'figures.txt')
    if os.path.exists(figures):
        blurb = blurb.rstrip('\n') + '\n\n' + open(figures).read()
    text = text.replace('*** SUBJECT HERE ***', subj.strip())
    text = text.replace('*** BLURB HERE ***', blurb.strip())
    open(cover, 'w').write(text)
    print('base %s' % basecommit)
    print('repo %s' % repo)


if __name__ == '__main__':
    main()
