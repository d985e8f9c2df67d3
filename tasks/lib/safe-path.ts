// Walking a path as root without letting another user redirect the walk.
//
// A path such as /home/alice/.ssh/authorized_keys passes through directories that alice
// owns: she can make `.ssh` a symbolic link to /root/.ssh, and a root write "to her file"
// lands in root's. So a path is walked one component at a time, in the shell that then
// acts on it, by `cd -P` into each directory, and a step is refused when it goes from
// something owned by another user (not root, not us) to something owned by yet another
// user, root included: systemd's CHASE_SAFE rule (`unsafe_transition()` in chase.c).
// Root-owned links (/var/run → /run, /bin → /usr/bin) are followed as before, and alice's
// links that stay within alice's files too.
//
// After the walk the shell's working directory is the directory that holds the last
// component, and every later command names the file relative to it ("$tend_name"): the
// working directory is the directory itself, not a path, so nothing renamed or swapped
// after the check can move where the write goes. Each directory entered is checked by
// what the shell stands in (`.`), after the `cd`, so a race between looking and entering
// is caught too.
//
// The last component is not followed unless `follow` says so (a module then refuses or
// replaces a link standing there); followed, it obeys the same rule.
import { sh, ShellText } from '../../src/shell.ts';

/** How many symbolic links one walk may follow (Linux's own limit, ELOOP). */
export const MAX_LINKS = 40;

// tend_owner sets tend_n: empty when the thing is ours or root's (a step from it is
// always safe), else its owner's uid. `[ -O . ]` is a builtin: a walk through root's
// directories forks nothing. Links are asked with stat, which does not follow them.
// tend_step checks a step from where we stand (tend_prev) to $1.
const FUNCTIONS = `unset CDPATH
tend_owner() { if [ ! -L "$1" ] && [ -O "$1" ]; then tend_n=; else tend_n=$(stat -c %u -- "$1") || return 1; [ "$tend_n" != 0 ] || tend_n=; [ "$tend_n" != "$(id -u)" ] || tend_n=; fi; }
tend_who() { stat -c '%U (uid %u)' -- "$1" 2>/dev/null || echo '?'; }
tend_step() {
  tend_owner "$1" || { tend_why="cannot read the owner of $2"; return 1; }
  if [ -n "$tend_prev" ] && [ "$tend_prev" != "$tend_n" ]; then
    tend_why="unsafe path: $2 is owned by $(tend_who "$1") but was reached through $tend_from, owned by uid $tend_prev; a root write there could be redirected"
    return 1
  fi
  tend_prev=$tend_n tend_from=$2
}
tend_chase() {
  tend_rest=$1 tend_follow=$2 tend_mkdir=$3 tend_enter=$4 tend_links=0 tend_at= tend_prev= tend_from=/ tend_why=
  tend_made=0
  cd / || { tend_why='cannot enter /'; return 1; }
  while :; do
    while :; do case $tend_rest in /*) tend_rest=\${tend_rest#/} ;; *) break ;; esac; done
    case $tend_rest in
      '') [ "$tend_enter" = 1 ] && return 0; tend_why="$1 names a directory, not a file"; return 1 ;;
      */*) tend_c=\${tend_rest%%/*}; tend_rest=\${tend_rest#*/} ;;
      *) tend_c=$tend_rest; tend_rest= ;;
    esac
    case $tend_rest in *[!/]*) tend_last= ;; *) [ "$tend_enter" = 1 ] && tend_last= || tend_last=1 ;; esac
    if [ "$tend_c" = . ] || [ "$tend_c" = .. ]; then
      [ -z "$tend_last" ] || { tend_why="$1 ends in $tend_c: it names a directory, not a file"; return 1; }
      [ "$tend_c" = . ] && continue
      cd -P .. || { tend_why="cannot enter the parent of \${tend_at:-/}"; return 1; }
      tend_made=0
      tend_at=\${tend_at%/*}
      tend_step . "\${tend_at:-/}" || return 1
      continue
    fi
    if [ -L "$tend_c" ] && { [ -z "$tend_last" ] || [ "$tend_follow" = 1 ]; }; then
      tend_links=$((tend_links + 1))
      [ "$tend_links" -le ${MAX_LINKS} ] || { tend_why="$1: more than ${MAX_LINKS} symbolic links on the way"; return 1; }
      tend_step "$tend_c" "$tend_at/$tend_c" || return 1
      tend_t=$(readlink -- "$tend_c"; echo .) || { tend_why="cannot read the link $tend_at/$tend_c"; return 1; }
      tend_t=\${tend_t%??}
      case $tend_t in
        '') tend_why="$tend_at/$tend_c is an empty link"; return 1 ;;
        /*) cd / || return 1; tend_at=; tend_step . "/ (where the link $tend_from points)" || return 1 ;;
      esac
      if [ -n "$tend_rest" ]; then tend_rest=$tend_t/$tend_rest; else tend_rest=$tend_t; fi
      continue
    fi
    if [ -n "$tend_last" ]; then tend_name=$tend_c; tend_dir=\${tend_at:-/}; return 0; fi
    if ! cd -P -- "$tend_c" 2>/dev/null; then
      if [ -e "$tend_c" ] || [ -L "$tend_c" ]; then tend_why="$tend_at/$tend_c is not a directory"; return 1; fi
      if [ "$tend_mkdir" != 1 ]; then tend_why="missing: the directory $tend_at/$tend_c does not exist"; return 1; fi
      mkdir -- "$tend_c" && cd -P -- "$tend_c" || { tend_why="cannot create the directory $tend_at/$tend_c"; return 1; }
      tend_made=$((tend_made + 1))
    fi
    tend_at=$tend_at/$tend_c
    tend_step . "$tend_at" || return 1
  done
}`;

export const CHASE_FUNCTIONS = new ShellText(FUNCTIONS);

export interface Walk {
  /** Follow a symbolic link standing at the path itself (`follow: true`). */
  follow?: boolean;
  /** Create missing directories on the way (`mkdir -p`, each one checked as it is entered). */
  create?: boolean;
  /** A missing directory on the way ends the commands successfully (nothing there to remove). */
  missingOk?: boolean;
}

export interface ProbeWalk extends Walk {
  /**
   * Print nothing when a step is unsafe: for a snippet whose output is free text (a
   * file's content), where no marker could be told apart from the content. Another
   * snippet of the same probe, with structured output, reports it.
   */
  quiet?: boolean;
}

/**
 * Commands that walk to the directory holding `path` and stay there: afterwards "$tend_name"
 * names the file in the working directory. An unsafe step or a missing directory ends the
 * script (exit 1) with the reason on stderr, before anything is touched.
 */
export function enterParentOf(path: string, walk: Walk = {}): ShellText {
  const missing = walk.missingOk ? sh`case $tend_why in missing:*) exit 0 ;; esac; ` : sh``;
  return sh`${CHASE_FUNCTIONS}
tend_chase ${path} ${walk.follow ? '1' : '0'} ${walk.create ? '1' : '0'} 0 || { ${missing}printf 'tend: %s\\n' "\${tend_why#missing: }" >&2; exit 1; }`;
}

/**
 * Commands that walk into the directory `path` itself (created with its parents when
 * `create`), every step checked alike, a link standing at `path` included: afterwards
 * `.` is that directory, and "$tend_made" counts the directories the walk made (the last
 * ones of the path: `.`, `..`, … ; 0 when a `..` came after one was made).
 */
export function enterDirectory(path: string, walk: Walk = {}): ShellText {
  return sh`${CHASE_FUNCTIONS}
tend_chase ${path} 1 ${walk.create ? '1' : '0'} 1 || { printf 'tend: %s\\n' "\${tend_why#missing: }" >&2; exit 1; }`;
}

/**
 * A probe snippet that walks to the directory holding `path`, then runs `body` there
 * (naming the file "$tend_name"). When a directory on the way is missing it runs
 * `missing` instead (the file is simply not there); when a step is unsafe it prints the
 * line `unsafe REASON` (unless `quiet`), which `refuseUnsafe` turns into the task's
 * failure. `body` and `missing` must print structured lines that never begin `unsafe `.
 */
export function probeInParentOf(path: string, body: ShellText, missing: ShellText, walk: ProbeWalk = {}): ShellText {
  const unsafe = walk.quiet ? sh`:` : sh`printf 'unsafe %s\\n' "$tend_why"`;
  return sh`${CHASE_FUNCTIONS}
if tend_chase ${path} ${walk.follow ? '1' : '0'} 0 0; then
${body}
else case $tend_why in missing:*) ${missing} ;; *) ${unsafe} ;; esac
fi`;
}

/**
 * Throws the walk's reason when a structured probe section says a step was unsafe: the
 * task fails, in check mode too (an unsafe path is not a state an earlier task fixes).
 */
export function refuseUnsafe(section: string): void {
  if (section.startsWith('unsafe ')) throw new Error(section.slice('unsafe '.length).replace(/\n[\s\S]*$/, ''));
}
