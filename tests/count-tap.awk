# SPDX-License-Identifier: GPL-2.0
#
# Count the leaf results of TAP/KTAP streams: bats TAP, kselftest TAP and
# nested KUnit KTAP (a result line is a parent when deeper results came
# since its previous sibling).  Kernel log timestamps are ignored.
# Prints "pass fail skip".
{
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "")
	if (!match($0, /^ *(not )?ok [0-9]+/))
		next
	indent = match($0, /[^ ]/) - 1
	parent = 0
	while (depth > 0 && stack[depth] > indent) {
		depth--
		parent = 1
	}
	stack[++depth] = indent
	if (parent)
		next
	if ($0 ~ /# *[Ss][Kk][Ii][Pp]/)
		skip++
	else if ($0 ~ /^ *not ok/)
		fail++
	else
		pass++
}
END { printf "%d %d %d\n", pass, fail, skip }
