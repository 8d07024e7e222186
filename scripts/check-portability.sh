#!/usr/bin/env bash
# Fails when the sources use something that exists on one of the two supported systems
# only (Linux with glibc, macOS) outside a guard that limits it to that system:
#   - `import Glibc` / `Glibc.name` outside `#if canImport(Glibc)` or `#if os(Linux)`, and the
#     same for Darwin (`canImport(Darwin)`, `os(macOS)`);
#   - Linux-only paths in string literals (/proc/, /sys/, /usr/include) and Linux-only APIs
#     (__sigaction_handler, epoll_, eventfd, inotify_, prctl, gettid) outside a Linux guard;
#   - ncurses functions newer than macOS's 5.7 (init_extended_pair…) called from Swift, not through
#     the shim, which falls back for macOS's ncurses 5.7;
#   - in module maps: `link` (linking is declared per platform in Package.swift) or an
#     absolute header path; in C shim headers: an ncursesw/ include without __has_include.
# This machine cannot build for macOS; this check is what keeps the Linux build honest.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "$@" <<'PY'
import pathlib, re, sys

LINUX_ONLY_API = re.compile(r'\b(__sigaction_handler|epoll_\w+|eventfd|inotify_\w+|prctl|gettid)\b')
LINUX_PATH = re.compile(r'/proc/|/sys/|/usr/include')
NCURSES_61 = re.compile(r'\b(init_extended_pair|init_extended_color|alloc_pair|find_pair|free_pair|extended_pair_content|extended_color_content|set_escdelay)\s*\(')
problems = []

def code_and_strings(line):
    """The line without its // comment, and the string literals in it."""
    code, strings, i, in_string, start = [], [], 0, False, 0
    while i < len(line):
        c = line[i]
        if in_string:
            if c == '\\':
                i += 2
                continue
            if c == '"':
                strings.append(line[start:i])
                in_string = False
        elif c == '"':
            in_string, start = True, i + 1
        elif line.startswith('//', i):
            break
        code.append(c)
        i += 1
    return ''.join(code), strings

def is_for(condition, system):
    if condition.startswith('!else '):
        return False
    names = {'linux': ('os(Linux)', 'canImport(Glibc)'), 'darwin': ('canImport(Darwin)', 'os(macOS)')}[system]
    return any(name in condition and f'!{name}' not in condition for name in names)

for path in sorted(pathlib.Path('Sources').rglob('*.swift')) + sorted(pathlib.Path('Tests').rglob('*.swift')):
    branches = []
    in_block_comment = False
    for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        stripped = line.strip()
        if in_block_comment:
            if '*/' in stripped:
                in_block_comment = False
            continue
        if stripped.startswith('/*') and '*/' not in stripped:
            in_block_comment = True
            continue
        if stripped.startswith('#if '):
            branches.append(stripped[4:])
        elif stripped.startswith('#elseif '):
            branches[-1] = stripped[8:]
        elif stripped.startswith('#else'):
            branches[-1] = '!else ' + branches[-1]
        elif stripped.startswith('#endif'):
            branches.pop()
        code, strings = code_and_strings(line)
        linux = any(is_for(b, 'linux') for b in branches)
        darwin = any(is_for(b, 'darwin') for b in branches)
        where = f'{path}:{number}'
        if re.search(r'\bimport\s+Glibc\b|\bGlibc\.', code) and not linux:
            problems.append(f'{where}: Glibc outside #if canImport(Glibc) / os(Linux): {stripped}')
        if re.search(r'\bimport\s+Darwin\b|\bDarwin\.', code) and not darwin:
            problems.append(f'{where}: Darwin outside #if canImport(Darwin) / os(macOS): {stripped}')
        match = NCURSES_61.search(code)
        if match:
            problems.append(f'{where}: {match.group(1)} needs a newer ncurses than the 5.7 of macOS: call the shim (CNcursesw/shim.h)')
        if not linux:
            for literal in strings:
                if LINUX_PATH.search(literal):
                    problems.append(f'{where}: Linux-only path outside a Linux guard: "{literal}"')
            match = LINUX_ONLY_API.search(code)
            if match:
                problems.append(f'{where}: Linux-only API {match.group(0)} outside a Linux guard')

for path in sorted(pathlib.Path('Sources').rglob('module.modulemap')):
    for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        if re.match(r'\s*link\s+"', line):
            problems.append(f'{path}:{number}: link in a module map (declare it per platform in Package.swift)')
        if re.search(r'header\s+"/', line):
            problems.append(f'{path}:{number}: absolute header path in a module map')

for path in sorted(pathlib.Path('Sources').rglob('*.h')):
    text = path.read_text(encoding='utf-8')
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r'\s*#\s*include\s*<ncursesw/', line) and '__has_include(<ncursesw/' not in text:
            problems.append(f'{path}:{number}: ncursesw/ include without a __has_include fallback (macOS has curses.h)')

if problems:
    print('check-portability: platform-specific code outside its guard:')
    for problem in problems:
        print('  ' + problem)
    sys.exit(1)
print('check-portability: ok')
PY
