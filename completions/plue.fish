function __plue_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __plue_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __plue_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __plue_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __plue_parse_tokens -S
    set -l unparsed_tokens (__plue_tokens -pc)
    switch $unparsed_tokens[1]
    case 'plue'
        __plue_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'init'
            __plue_parse_subcommand 0 'git-user=' 'home=' 'json' 'version' 'h/help'
        case 'user'
            __plue_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __plue_parse_subcommand 1 'email=' 'admin' 'home=' 'json' 'version' 'h/help'
            case 'list'
                __plue_parse_subcommand 0 'home=' 'json' 'version' 'h/help'
            case 'show'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            end
        case 'repo'
            __plue_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __plue_parse_subcommand 1 'description=' 'private' 'default-branch=' 'home=' 'json' 'version' 'h/help'
            case 'import'
                __plue_parse_subcommand 1 'from=' 'description=' 'private' 'home=' 'json' 'version' 'h/help'
            case 'list'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            case 'show'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            case 'delete'
                __plue_parse_subcommand 1 'yes' 'home=' 'json' 'version' 'h/help'
            case 'log'
                __plue_parse_subcommand 1 'ref=' 'n=' 'home=' 'json' 'version' 'h/help'
            case 'tree'
                __plue_parse_subcommand 2 'ref=' 'home=' 'json' 'version' 'h/help'
            case 'cat'
                __plue_parse_subcommand 2 'ref=' 'home=' 'version' 'h/help'
            case 'events'
                __plue_parse_subcommand 1 'n=' 'home=' 'json' 'version' 'h/help'
            case 'collaborator'
                __plue_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'add'
                    __plue_parse_subcommand 2 'permission=' 'home=' 'json' 'version' 'h/help'
                case 'list'
                    __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
                case 'remove'
                    __plue_parse_subcommand 2 'home=' 'version' 'h/help'
                end
            end
        case 'ssh-key'
            __plue_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'add'
                __plue_parse_subcommand 2 'title=' 'file=' 'home=' 'json' 'version' 'h/help'
            case 'list'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            case 'remove'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            end
        case 'deploy-key'
            __plue_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'add'
                __plue_parse_subcommand 1 'title=' 'file=' 'write' 'home=' 'json' 'version' 'h/help'
            case 'list'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            case 'remove'
                __plue_parse_subcommand 2 'home=' 'json' 'version' 'h/help'
            end
        case 'session'
            __plue_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'new'
                __plue_parse_subcommand 1 'base=' 'title=' 'home=' 'json' 'version' 'h/help'
            case 'list'
                __plue_parse_subcommand 1 'all' 'home=' 'json' 'version' 'h/help'
            case 'show'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            case 'snapshot'
                __plue_parse_subcommand 1 'm=' 'max-file-size=' 'home=' 'json' 'version' 'h/help'
            case 'commit'
                __plue_parse_subcommand 1 'm=' 'max-file-size=' 'home=' 'json' 'version' 'h/help'
            case 'changes'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            case 'ops'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            case 'undo'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            case 'redo'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            case 'restore'
                __plue_parse_subcommand 2 'home=' 'json' 'version' 'h/help'
            case 'diff'
                __plue_parse_subcommand 1 'from=' 'to=' 'stat' 'name-only' 'home=' 'version' 'h/help'
            case 'files'
                __plue_parse_subcommand 2 'at=' 'home=' 'json' 'version' 'h/help'
            case 'cat'
                __plue_parse_subcommand 2 'at=' 'home=' 'version' 'h/help'
            case 'fork'
                __plue_parse_subcommand 1 'at=' 'op=' 'title=' 'home=' 'json' 'version' 'h/help'
            case 'conflicts'
                __plue_parse_subcommand 1 'home=' 'json' 'version' 'h/help'
            end
        case 'ssh-authorize'
            __plue_parse_subcommand 3 'git-user=' 'home=' 'version' 'h/help'
        case 'ssh-serve'
            __plue_parse_subcommand 1 'home=' 'version' 'h/help'
        case 'sshd-config'
            __plue_parse_subcommand 0 'git-user=' 'home=' 'version' 'h/help'
        case 'help'
            __plue_parse_subcommand -r 1 'version'
        end
    end
end

function __plue_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __plue_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __plue_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __plue_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__plue_tokens -p)
    if test -z "$(__plue_tokens -t)"
        set -l index (count (__plue_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'plue' -f
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue" -eq 1' -fa 'init' -d 'Create a Plue home: the database, the repositories folder and a random server secret.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue" -eq 1' -fa 'user' -d 'Create, list and show accounts.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue" -eq 1' -fa 'repo' -d 'Create, import, inspect and delete repositories.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue" -eq 1' -fa 'ssh-key' -d 'Add, list and remove the SSH keys accounts log in with.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue" -eq 1' -fa 'deploy-key' -d 'Keys that reach one repository only: read-only unless added with --write.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue" -eq 1' -fa 'session' -d 'Agent sessions: a private working copy with snapshots, stable change ids and an operation log.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue" -eq 1' -fa 'ssh-authorize' -d 'Answer sshd\'s AuthorizedKeysCommand: the authorized_keys line for a known key, else nothing.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue" -eq 1' -fa 'ssh-serve' -d 'Run the git command an SSH client asked for, if the key may (the forced command ssh-authorize sets).'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue" -eq 1' -fa 'sshd-config' -d 'Print the sshd_config lines that send the git account\'s logins through Plue.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue init" git-user' -l 'git-user' -d 'The system account people log in as over SSH.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue init" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue init" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue init" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue user" -eq 1' -fa 'create' -d 'Create an account.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue user" -eq 1' -fa 'list' -d 'List accounts.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue user" -eq 1' -fa 'show' -d 'Show an account.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user create" email' -l 'email' -d 'The account\'s email address, unique ignoring case.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user create" admin' -l 'admin' -d 'Make the account a site administrator.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user create" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user create" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user create" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user list" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user list" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user show" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user show" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user show" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue user show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo" -eq 1' -fa 'create' -d 'Create an empty repository.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo" -eq 1' -fa 'import' -d 'Create a repository with every ref of another one.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo" -eq 1' -fa 'list' -d 'List repositories, all or one owner\'s.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo" -eq 1' -fa 'show' -d 'Show a repository: default branch, branches with their tips, size.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo" -eq 1' -fa 'delete' -d 'Delete a repository, its git directory and its push events.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo" -eq 1' -fa 'log' -d 'List commits, newest first.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo" -eq 1' -fa 'tree' -d 'List the files and directories at a path.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo" -eq 1' -fa 'cat' -d 'Print a file\'s raw bytes.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo" -eq 1' -fa 'events' -d 'List push events, newest first: one per ref a push moved.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo" -eq 1' -fa 'collaborator' -d 'Give accounts read, write or admin permission on a repository.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo create" description' -l 'description' -d 'A one-line description.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo create" private' -l 'private' -d 'Make the repository private: only its owner and collaborators may read it.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo create" default-branch' -l 'default-branch' -d 'The branch HEAD names.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo create" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo create" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo create" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo import" from' -l 'from' -d 'The repository to copy.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo import" description' -l 'description' -d 'A one-line description.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo import" private' -l 'private' -d 'Make the repository private.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo import" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo import" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo import" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo list" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo list" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo show" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo show" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo show" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo delete" yes' -l 'yes' -d 'Confirm the deletion.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo delete" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo delete" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo delete" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo log" ref' -l 'ref' -d 'A branch, tag or commit (default: the default branch).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo log" n' -s 'n' -d 'How many commits at most.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo log" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo log" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo log" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo log" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo tree" ref' -l 'ref' -d 'A branch, tag or commit (default: the default branch).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo tree" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo tree" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo tree" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo tree" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo cat" ref' -l 'ref' -d 'A branch, tag or commit (default: the default branch).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo cat" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo cat" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo cat" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo events" n' -s 'n' -d 'How many events at most.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo events" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo events" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo events" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo events" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo collaborator" -eq 1' -fa 'add' -d 'Add a collaborator or change their permission.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo collaborator" -eq 1' -fa 'list' -d 'List a repository\'s collaborators.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue repo collaborator" -eq 1' -fa 'remove' -d 'Remove a collaborator.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator add" permission' -l 'permission' -d 'read, write or admin.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator add" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator add" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator add" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator list" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator list" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator remove" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator remove" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue repo collaborator remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue ssh-key" -eq 1' -fa 'add' -d 'Add a public key to an account (from --file PATH, or - for standard input).'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue ssh-key" -eq 1' -fa 'list' -d 'List an account\'s keys.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue ssh-key" -eq 1' -fa 'remove' -d 'Remove a key by its id.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key add" title' -l 'title' -d 'A name for the key, such as the machine it is on.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key add" file' -l 'file' -d 'The public key file (.pub), or - for standard input.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key add" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key add" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key add" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key list" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key list" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key remove" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key remove" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key remove" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-key remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue deploy-key" -eq 1' -fa 'add' -d 'Add a deploy key to a repository.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue deploy-key" -eq 1' -fa 'list' -d 'List a repository\'s deploy keys.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue deploy-key" -eq 1' -fa 'remove' -d 'Remove a deploy key by its id.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key add" title' -l 'title' -d 'A name for the key, such as the machine that deploys.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key add" file' -l 'file' -d 'The public key file (.pub), or - for standard input.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key add" write' -l 'write' -d 'Let the key push, not only fetch.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key add" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key add" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key add" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key list" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key list" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key remove" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key remove" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key remove" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue deploy-key remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'new' -d 'Start a session on a repository.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'list' -d 'List active sessions, all or one repository\'s.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'show' -d 'Show a session.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'snapshot' -d 'Record the working directory as the current change (an operation only when something changed).'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'commit' -d 'Describe the current change and start a new empty one on top.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'changes' -d 'List the session\'s changes, newest first.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'ops' -d 'List the session\'s operations, newest first.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'undo' -d 'Bring back the state before the last operation; again to go further back.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'redo' -d 'Take back the last undo; again to walk forward.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'restore' -d 'Bring back the state an operation left (itself a new operation, so it can be undone).'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'diff' -d 'Show the difference between two states as a patch git apply accepts.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'files' -d 'List the files of a state.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'cat' -d 'Print a file\'s raw bytes in a state.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'fork' -d 'Start a new, independent session from a state of this one; the original is untouched.'
complete -c 'plue' -n '__plue_should_offer_completions_for_positional "plue session" -eq 1' -fa 'conflicts' -d 'Would the session land cleanly on the current tip of its base branch? (as git merge-tree --write-tree says)'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session new" base' -l 'base' -d 'The branch to start from (default: the repository\'s default branch).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session new" title' -l 'title' -d 'A one-line title.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session new" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session new" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session new" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session new" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session list" all' -l 'all' -d 'Include aborted and closed sessions.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session list" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session list" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session show" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session show" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session show" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session snapshot" m' -s 'm' -d 'What the snapshot is for, shown in the operation log.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session snapshot" max-file-size' -l 'max-file-size' -d 'Leave out (and report) files larger than this many bytes.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session snapshot" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session snapshot" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session snapshot" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session snapshot" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session commit" m' -s 'm' -d 'The change\'s description.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session commit" max-file-size' -l 'max-file-size' -d 'Leave out (and report) files larger than this many bytes.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session commit" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session commit" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session commit" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session commit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session changes" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session changes" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session changes" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session changes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session ops" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session ops" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session ops" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session ops" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session undo" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session undo" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session undo" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session undo" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session redo" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session redo" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session redo" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session redo" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session restore" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session restore" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session restore" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session restore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session diff" from' -l 'from' -d 'The old state (default: base).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session diff" to' -l 'to' -d 'The new state (default: @).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session diff" stat' -l 'stat' -d 'A summary of changed files and lines instead of the patch.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session diff" name-only' -l 'name-only' -d 'Only the names of changed files.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session diff" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session diff" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session files" at' -l 'at' -d 'The state (default: @).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session files" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session files" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session files" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session files" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session cat" at' -l 'at' -d 'The state (default: @).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session cat" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session cat" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session cat" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session fork" at' -l 'at' -d 'Start from this change or commit.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session fork" op' -l 'op' -d 'Start from the state this operation left.' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session fork" title' -l 'title' -d 'A title (default: the original\'s).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session fork" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session fork" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session fork" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session fork" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session conflicts" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session conflicts" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session conflicts" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue session conflicts" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-authorize" git-user' -l 'git-user' -d 'The account people log in as (default: the one set at plue init, else git).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-authorize" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-authorize" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-authorize" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-serve" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-serve" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue ssh-serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue sshd-config" git-user' -l 'git-user' -d 'The account people log in as (default: the one set at plue init, else git).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue sshd-config" home' -l 'home' -d 'The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).' -rfka ''
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue sshd-config" version' -l 'version' -d 'Show the version.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue sshd-config" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'plue' -n '__plue_should_offer_completions_for_flags_or_options "plue help" version' -l 'version' -d 'Show the version.'
