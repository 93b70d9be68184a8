#compdef plue

__plue_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__plue_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __plue_complete "${completions[@]:0:-1}"
    fi
}

__plue_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_plue() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'init:Create a Plue home: the database, the repositories folder and a random server secret.'
            'user:Create, list and show accounts.'
            'repo:Create, import, inspect and delete repositories.'
            'ssh-key:Add, list and remove the SSH keys accounts log in with.'
            'deploy-key:Keys that reach one repository only: read-only unless added with --write.'
            'session:Agent sessions: a private working copy with snapshots, stable change ids and an operation log.'
            'agent:Register the commands a turn started over HTTP may run.'
            'land:The landing queue: land sessions and branches on a target branch.'
            'workflow:Workflows (.plue/workflows/*.yml): definitions, runs, logs.'
            'runner:Run workflow jobs from the home'\''s queue.'
            'branch:Branch rules: workflows a land must pass.'
            'token:Create, list and revoke the API tokens HTTP clients and git over HTTP use.'
            'audit:Show the audit log: the requests API tokens were refused.'
            'serve:Serve the HTTP API of this home, and its repositories to git over HTTP.'
            'doctor:Check a home for problems; with --fix, repair what is safe to repair.'
            'ssh-authorize:Answer sshd'\''s AuthorizedKeysCommand: the authorized_keys line for a known key, else nothing.'
            'ssh-serve:Run the git command an SSH client asked for, if the key may (the forced command ssh-authorize sets).'
            'sshd-config:Print the sshd_config lines that send the git account'\''s logins through Plue.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        init|user|repo|ssh-key|deploy-key|session|agent|land|workflow|runner|branch|token|audit|serve|doctor|ssh-authorize|ssh-serve|sshd-config|help)
            "_plue_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_init() {
    local -i ret=1
    local -ar arg_specs=(
        '--git-user[The system account people log in as over SSH.]:git-user:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_user() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'create:Create an account.'
            'list:List accounts.'
            'show:Show an account.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        create|list|show)
            "_plue_user_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_user_create() {
    local -i ret=1
    local -ar arg_specs=(
        ':name:'
        '--email[The account'\''s email address, unique ignoring case.]:email:'
        '--admin[Make the account a site administrator.]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_user_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_user_show() {
    local -i ret=1
    local -ar arg_specs=(
        ':name:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'create:Create an empty repository.'
            'import:Create a repository with every ref of another one.'
            'list:List repositories, all or one owner'\''s.'
            'show:Show a repository: default branch, branches with their tips, size.'
            'delete:Delete a repository, its git directory, its push events and its sessions.'
            'log:List commits, newest first.'
            'tree:List the files and directories at a path.'
            'cat:Print a file'\''s raw bytes.'
            'events:List push events, newest first: one per ref a push moved.'
            'collaborator:Give accounts read, write or admin permission on a repository.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        create|import|list|show|delete|log|tree|cat|events|collaborator)
            "_plue_repo_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_repo_create() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--description[A one-line description.]:description:'
        '--private[Make the repository private\: only its owner and collaborators may read it.]'
        '--default-branch[The branch HEAD names.]:default-branch:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_import() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--from[The repository to copy.]:path-or-url:'
        '--description[A one-line description.]:description:'
        '--private[Make the repository private.]'
        '--timeout[Stop when git shows no progress for this long.]:seconds:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_list() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_show() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_delete() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--yes[Confirm the deletion.]'
        '--force[Delete even when open sessions, or a session'\''s unstored work, go with it.]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_log() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--ref[A branch, tag or commit (default\: the default branch).]:ref:'
        '-n[How many commits at most.]:n:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_tree() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        ':path:'
        '--ref[A branch, tag or commit (default\: the default branch).]:ref:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_cat() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        ':path:'
        '--ref[A branch, tag or commit (default\: the default branch).]:ref:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_events() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '-n[How many events at most.]:n:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_collaborator() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'add:Add a collaborator or change their permission.'
            'list:List a repository'\''s collaborators.'
            'remove:Remove a collaborator.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        add|list|remove)
            "_plue_repo_collaborator_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_repo_collaborator_add() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        ':user:'
        '--permission[read, write or admin.]:permission:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_collaborator_list() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_repo_collaborator_remove() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        ':user:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_ssh-key() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'add:Add a public key to an account (from --file PATH, or - for standard input).'
            'list:List an account'\''s keys.'
            'remove:Remove a key by its id.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        add|list|remove)
            "_plue_ssh-key_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_ssh-key_add() {
    local -i ret=1
    local -ar arg_specs=(
        ':user:'
        ':-:'
        '--title[A name for the key, such as the machine it is on.]:title:'
        '--file[The public key file (.pub), or - for standard input.]:path:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_ssh-key_list() {
    local -i ret=1
    local -ar arg_specs=(
        ':user:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_ssh-key_remove() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_deploy-key() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'add:Add a deploy key to a repository.'
            'list:List a repository'\''s deploy keys.'
            'remove:Remove a deploy key by its id.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        add|list|remove)
            "_plue_deploy-key_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_deploy-key_add() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--title[A name for the key, such as the machine that deploys.]:title:'
        '--file[The public key file (.pub), or - for standard input.]:path:'
        '--write[Let the key push, not only fetch.]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_deploy-key_list() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_deploy-key_remove() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'new:Start a session on a repository.'
            'list:List active sessions, all or one repository'\''s.'
            'show:Show a session.'
            'snapshot:Record the working directory as the current change (an operation only when something changed).'
            'commit:Describe the current change and start a new empty one on top.'
            'changes:List the session'\''s changes, newest first.'
            'change:Show one change: its id, commit, description, parents and files changed.'
            'ops:List the session'\''s operations, newest first.'
            'undo:Bring back the state before the last operation; again to go further back.'
            'redo:Take back the last undo; again to walk forward.'
            'restore:Bring back the state an operation left (itself a new operation, so it can be undone).'
            'diff:Show the difference between two states as a patch git apply accepts.'
            'files:List the files of a state.'
            'cat:Print a file'\''s raw bytes in a state.'
            'fork:Start a new, independent session from a state of this one; the original is untouched.'
            'conflicts:Would the session land cleanly on the current tip of its base branch? (as git merge-tree --write-tree says)'
            'turn:Record a user message; with a command after --, run it in the workdir as the agent and record its reply.'
            'messages:Show the conversation: each visible turn'\''s message and reply.'
            'revert:Bring files and visible messages back to the end of a turn.'
            'unrevert:Take back the last revert.'
            'undo-turns:Remove the last N turns, their files and messages, in one operation (itself undoable).'
            'abort:Stop a running turn'\''s whole process group and mark the session aborted; everything is kept.'
            'config:Show or change a session'\''s settings: its limit for new files.'
            'turns:List every turn of a session, shown or not: state, times, exit status and the files it changed.'
            'delete:Delete a session: its directory, its refs and its history. This cannot be undone.'
            'gc:Remove the working directories of landed and aborted sessions idle for a while; keep their history.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        new|list|show|snapshot|commit|changes|change|ops|undo|redo|restore|diff|files|cat|fork|conflicts|turn|messages|revert|unrevert|undo-turns|abort|config|turns|delete|gc)
            "_plue_session_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_session_new() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--base[The branch to start from (default\: the repository'\''s default branch).]:base:'
        '--title[A one-line title.]:title:'
        '--max-new-file-size[The session'\''s limit for new files, in bytes (default 1048576); see `plue session config`.]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_list() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--all[Include aborted, closed and landed sessions.]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_show() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_snapshot() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '-m[What the snapshot is for, shown in the operation log.]:m:'
        '--wait[Wait up to this many seconds while another command (a running turn) holds the session, instead of exiting 75 at once.]:seconds:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes (default\: the session'\''s limit, else 1048576); files already recorded are always recorded.]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_commit() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '-m[The change'\''s description.]:m:'
        '--wait[Wait up to this many seconds while another command (a running turn) holds the session, instead of exiting 75 at once.]:seconds:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes (default\: the session'\''s limit, else 1048576); files already recorded are always recorded.]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_changes() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_change() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        ':revision:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_ops() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_undo() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--wait[Wait up to this many seconds while another command (a running turn) holds the session, instead of exiting 75 at once.]:seconds:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes (default\: the session'\''s limit, else 1048576); files already recorded are always recorded.]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_redo() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--wait[Wait up to this many seconds while another command (a running turn) holds the session, instead of exiting 75 at once.]:seconds:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes (default\: the session'\''s limit, else 1048576); files already recorded are always recorded.]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_restore() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        ':operation:'
        '--wait[Wait up to this many seconds while another command (a running turn) holds the session, instead of exiting 75 at once.]:seconds:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes (default\: the session'\''s limit, else 1048576); files already recorded are always recorded.]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_diff() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--from[The old state (default\: base).]:rev:'
        '--to[The new state (default\: @).]:rev:'
        '--stat[A summary of changed files and lines, as git diff --stat draws it, instead of the patch.]'
        '--name-only[Only the names of changed files.]'
        '--name-status[The names of changed files with their status (A, M, D, T, R), as git diff --name-status.]'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes when snapshotting first (default\: the session'\''s limit, else 1048576).]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_files() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        ':prefix:'
        '--at[The state (default\: @).]:rev:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes when snapshotting first (default\: the session'\''s limit, else 1048576).]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_cat() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        ':path:'
        '--at[The state (default\: @).]:rev:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes when snapshotting first (default\: the session'\''s limit, else 1048576).]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_fork() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--at[Start from this change or commit.]:rev:'
        '--op[Start from the state this operation left.]:op:'
        '--title[A title (default\: the original'\''s).]:title:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_conflicts() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes when snapshotting first (default\: the session'\''s limit, else 1048576).]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_turn() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '-m[The user'\''s message.]:m:'
        '--timeout[Stop the command'\''s whole process group after this many seconds.]:timeout:'
        '*--env[Pass this variable of plue'\''s environment on to the agent (repeatable); it gets only PATH, HOME, USER, LANG, LC_*, TERM, TZ, TMPDIR and these.]:NAME:'
        '*:command:'
        '--wait[Wait up to this many seconds while another command (a running turn) holds the session, instead of exiting 75 at once.]:seconds:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes (default\: the session'\''s limit, else 1048576); files already recorded are always recorded.]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_messages() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_revert() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--to-turn[The turn to go back to.]:to-turn:'
        '--wait[Wait up to this many seconds while another command (a running turn) holds the session, instead of exiting 75 at once.]:seconds:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes (default\: the session'\''s limit, else 1048576); files already recorded are always recorded.]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_unrevert() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--wait[Wait up to this many seconds while another command (a running turn) holds the session, instead of exiting 75 at once.]:seconds:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes (default\: the session'\''s limit, else 1048576); files already recorded are always recorded.]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_undo-turns() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        ':count:'
        '--wait[Wait up to this many seconds while another command (a running turn) holds the session, instead of exiting 75 at once.]:seconds:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes (default\: the session'\''s limit, else 1048576); files already recorded are always recorded.]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_abort() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_config() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--max-new-file-size[The limit for new files, in bytes.]:max-new-file-size:'
        '--default-limit[Go back to the default limit (1048576 bytes).]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_turns() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_delete() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--yes[Confirm the deletion.]'
        '--force[Delete even while a turn is marked running (its agent is not stopped).]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_session_gc() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--older-than[Only sessions whose last operation is older than this many days.]:days:'
        '--force[Remove working directories even when they hold files no operation recorded.]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_agent() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'add:Register a command under a name.'
            'list:List the registered agents.'
            'remove:Remove a registered agent; turns already running go on.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        add|list|remove)
            "_plue_agent_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_agent_add() {
    local -i ret=1
    local -ar arg_specs=(
        ':name:'
        '*--env[Pass this variable of the server'\''s environment on to the agent (repeatable).]:NAME:'
        '--timeout[Stop the agent'\''s whole process group after this many seconds (default 3600).]:timeout:'
        '*:command:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_agent_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_agent_remove() {
    local -i ret=1
    local -ar arg_specs=(
        ':name:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_land() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'enqueue:Queue a session or a branch for landing.'
            'list:List a repository'\''s landing queue.'
            'show:Show a land entry.'
            'cancel:Take a queued entry out of the queue, or one waiting for its required workflows (they are cancelled too).'
            'check:Would this land cleanly now? A dry run that writes nothing.'
            'run:Land the queue'\''s entries, head by head.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        enqueue|list|show|cancel|check|run)
            "_plue_land_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_land_enqueue() {
    local -i ret=1
    local -ar ___strategy=('rebase' 'merge' 'squash')
    local -ar arg_specs=(
        ':owner/name:'
        '--session[Land this session (its last snapshot; enqueue snapshots it first).]:session:'
        '--branch[Land this branch.]:branch:'
        '--onto[The branch to land on.]:branch:'
        '--strategy[rebase, merge or squash.]:strategy:{__plue_complete "${___strategy[@]}"}'
        '-m[The commit message (see above).]:m:'
        '--user[The account that asks for the land; a branch'\''s land is pushed as them.]:name:'
        '--max-new-file-size[Leave out (and report) new files larger than this many bytes when snapshotting first (default\: the session'\''s limit, else 1048576).]:max-new-file-size:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_land_list() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--all[Include finished entries (landed, conflicted, stale, failed, cancelled).]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_land_show() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_land_cancel() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_land_check() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--session[Land this session (its last snapshot; enqueue snapshots it first).]:session:'
        '--branch[Land this branch.]:branch:'
        '--onto[The branch to land on.]:branch:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_land_run() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--once[Exit when the queue is empty.]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_workflow() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'list:List a repository'\''s workflows at a ref, with their triggers and parse errors.'
            'run:Start a workflow by hand (its `on` must have manual).'
            'runs:List a repository'\''s workflow runs, newest first.'
            'show:Show a run: its jobs and their steps.'
            'logs:Print a run'\''s logs, each line with its time, job and step.'
            'cancel:Cancel a queued or running run; running steps stop within seconds.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list|run|runs|show|logs|cancel)
            "_plue_workflow_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_workflow_list() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--ref[A branch, tag or commit (default\: the default branch).]:ref:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_workflow_run() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        ':workflow:'
        '--ref[A branch, tag or commit (default\: the default branch).]:ref:'
        '--detach[Queue the runs and return.]'
        '--as[Run steps as this unprivileged account (the runner must be started as root).]:account:'
        '--same-account[Run steps as the account that owns the home, for a one-person machine (with a warning).]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_workflow_runs() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--page[The page, from 1.]:page:'
        '--limit[Runs a page, 1 to 50.]:limit:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_workflow_show() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_workflow_logs() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--job[Only this job (its key in the workflow).]:job:'
        '--follow[Wait for new lines until the run finishes.]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_workflow_cancel() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_runner() {
    local -i ret=1
    local -ar arg_specs=(
        '--as[Run steps as this unprivileged account (the runner must be started as root).]:account:'
        '--same-account[Run steps as the account that owns the home, for a one-person machine (with a warning).]'
        '--concurrency[How many jobs to run at once, 1 to 64.]:concurrency:'
        '--once[Exit once no job is queued, instead of waiting for more.]'
        '--lease[Seconds a claimed job stays this runner'\''s without a renewal; a killed runner'\''s jobs wait this long.]:seconds:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_branch() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'protect:Make the landing queue run workflows on a land'\''s result before it moves the branch.'
            'unprotect:Lift a branch'\''s rule.'
            'protection:Show a repository'\''s branch rules.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        protect|unprotect|protection)
            "_plue_branch_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_branch_protect() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        ':branch:'
        '*--require[A workflow that must succeed (repeat for more).]:workflow:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_branch_unprotect() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        ':branch:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_branch_protection() {
    local -i ret=1
    local -ar arg_specs=(
        ':owner/name:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_token() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'create:Create a token for an account and print it once.'
            'list:List an account'\''s tokens (never their secrets).'
            'revoke:Revoke a token by its id; it stops working at once.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        create|list|revoke)
            "_plue_token_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_token_create() {
    local -i ret=1
    local -ar ___scope=('read:repository' 'write:repository' 'read:user' 'write:user' 'read:admin' 'write:admin' 'all')
    local -ar arg_specs=(
        ':user:'
        '--name[A name for the token, unique for the account (ignoring case)\: one line of 1 to 100 characters.]:name:'
        '*--scope[A scope (repeat the option, or join scopes with commas).]:scope:{__plue_complete "${___scope[@]}"}'
        '*--repo[Limit the token to this repository (repeatable).]:owner/name:'
        '--session[Limit the token to this session and its repository.]:id:'
        '--expires-in[Expire after this many whole days (default\: never).]:days:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_token_list() {
    local -i ret=1
    local -ar arg_specs=(
        ':user:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_token_revoke() {
    local -i ret=1
    local -ar arg_specs=(
        ':id:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_audit() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'list:List the newest audit events, newest first.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list)
            "_plue_audit_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_plue_audit_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--limit[How many events to show, 1 to 100000.]:limit:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_serve() {
    local -i ret=1
    local -ar arg_specs=(
        '--listen[The address to listen on\: HOST\:PORT, \[IPV6\]\:PORT or PORT.]:address:'
        '--max-body-size[Refuse API request bodies larger than this many bytes (413).]:bytes:'
        '--max-pack-size[Refuse pushed packs larger than this many bytes (git over HTTP; git says why).]:bytes:'
        '--idle-timeout[Close a connection that sends nothing for this many seconds, or whose request body comes slower than 1 KiB a second after that long.]:seconds:'
        '--land-interval[Seconds between passes of the landing queue, which the server runs.]:seconds:'
        '--max-failed-auth[Refuse an address (429) after this many failed token authentications in a minute.]:count:'
        '--max-git-requests[Run at most this many git clones, fetches and pushes at once, a quarter of them for one address (503 past it).]:count:'
        '--max-connections[Keep at most this many connections open at once, a quarter of them from one address; more are closed as they come.]:count:'
        '--fetch-cache-size[Keep up to this many bytes of fetches'\'' answers in memory for the next identical fetch (0\: none).]:bytes:'
        '--stop-timeout[After SIGTERM or SIGINT, exit after this many seconds even if requests are still in flight.]:seconds:'
        '--runners[Workflow jobs the server runs at once (0\: none; jobs wait for `plue runner`).]:count:'
        '--runner-account[Run workflow steps as this unprivileged account (the server must be started as root). Without it or --runner-same-account the server runs no jobs.]:account:'
        '--runner-same-account[Run workflow steps as the account that owns the home, for a one-person machine (with a warning).]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_doctor() {
    local -i ret=1
    local -ar arg_specs=(
        '--fix[Repair what is safe to repair\: hooks Plue wrote, staging leftovers, stuck turns, migrations, the secret'\''s mode.]'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--json[Print one JSON document on standard output instead of text.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_ssh-authorize() {
    local -i ret=1
    local -ar arg_specs=(
        ':account:'
        ':type:'
        ':key:'
        '--git-user[The account people log in as (default\: the one set at plue init, else git).]:git-user:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_ssh-serve() {
    local -i ret=1
    local -ar arg_specs=(
        ':key:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_sshd-config() {
    local -i ret=1
    local -ar arg_specs=(
        '--git-user[The account people log in as (default\: the one set at plue init, else git).]:git-user:'
        '--home[The Plue home directory (default\: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).]:dir:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_plue_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _plue ]]; then
    _plue "${@}"
else
    compdef _plue plue
fi
