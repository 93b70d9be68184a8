#!/bin/bash

__plue_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__plue_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__plue_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__plue_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_plue() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|user|repo|ssh-key|deploy-key|session|agent|land|workflow|runner|branch|token|audit|serve|doctor|ssh-authorize|ssh-serve|sshd-config|help)
        # Offer subcommand argument completions
        "_plue_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init user repo ssh-key deploy-key session agent land workflow runner branch token audit serve doctor ssh-authorize ssh-serve sshd-config help' -- "${cur}"))
        ;;
    esac
}

_plue_init() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--git-user --home)
    __plue_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--git-user')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_user() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|show)
        # Offer subcommand argument completions
        "_plue_user_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list show' -- "${cur}"))
        ;;
    esac
}

_plue_user_create() {
    repeating_flags=()
    non_repeating_flags=(--admin --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--email --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--email')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_user_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_user_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_repo() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|import|list|show|delete|log|tree|cat|events|collaborator)
        # Offer subcommand argument completions
        "_plue_repo_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create import list show delete log tree cat events collaborator' -- "${cur}"))
        ;;
    esac
}

_plue_repo_create() {
    repeating_flags=()
    non_repeating_flags=(--private --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--description --default-branch --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--description')
        return
        ;;
    '--default-branch')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_repo_import() {
    repeating_flags=()
    non_repeating_flags=(--private --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--from --description --timeout --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--from')
        return
        ;;
    '--description')
        return
        ;;
    '--timeout')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_repo_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_repo_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_repo_delete() {
    repeating_flags=()
    non_repeating_flags=(--yes --force --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_repo_log() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--ref -n --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--ref')
        return
        ;;
    '-n')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_repo_tree() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--ref --home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--ref')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_repo_cat() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--ref --home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--ref')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_repo_events() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-n --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-n')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_repo_collaborator() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|remove)
        # Offer subcommand argument completions
        "_plue_repo_collaborator_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list remove' -- "${cur}"))
        ;;
    esac
}

_plue_repo_collaborator_add() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--permission --home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--permission')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_repo_collaborator_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_repo_collaborator_remove() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_ssh-key() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|remove)
        # Offer subcommand argument completions
        "_plue_ssh-key_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list remove' -- "${cur}"))
        ;;
    esac
}

_plue_ssh-key_add() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--title --file --home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--title')
        return
        ;;
    '--file')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_ssh-key_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_ssh-key_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_deploy-key() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|remove)
        # Offer subcommand argument completions
        "_plue_deploy-key_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list remove' -- "${cur}"))
        ;;
    esac
}

_plue_deploy-key_add() {
    repeating_flags=()
    non_repeating_flags=(--write --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--title --file --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--title')
        return
        ;;
    '--file')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_deploy-key_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_deploy-key_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_session() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    new|list|show|snapshot|commit|changes|change|ops|undo|redo|restore|diff|files|cat|fork|conflicts|turn|messages|revert|unrevert|undo-turns|abort|config|turns|delete|gc)
        # Offer subcommand argument completions
        "_plue_session_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'new list show snapshot commit changes change ops undo redo restore diff files cat fork conflicts turn messages revert unrevert undo-turns abort config turns delete gc' -- "${cur}"))
        ;;
    esac
}

_plue_session_new() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--base --title --max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--base')
        return
        ;;
    '--title')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_list() {
    repeating_flags=()
    non_repeating_flags=(--all --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_session_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_session_snapshot() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-m --wait --max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-m')
        return
        ;;
    '--wait')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_commit() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-m --wait --max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-m')
        return
        ;;
    '--wait')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_changes() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_session_change() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_session_ops() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_session_undo() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--wait --max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--wait')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_redo() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--wait --max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--wait')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_restore() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--wait --max-new-file-size --home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--wait')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_diff() {
    repeating_flags=()
    non_repeating_flags=(--stat --name-only --name-status --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--from --to --max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_files() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--at --max-new-file-size --home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--at')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_cat() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--at --max-new-file-size --home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--at')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_fork() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--at --op --title --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--at')
        return
        ;;
    '--op')
        return
        ;;
    '--title')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_conflicts() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_turn() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--env)
    non_repeating_options=(-m --timeout --wait --max-new-file-size --home)
    __plue_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-m')
        return
        ;;
    '--timeout')
        return
        ;;
    '--env')
        return
        ;;
    '--wait')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_messages() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_session_revert() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--to-turn --wait --max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--to-turn')
        return
        ;;
    '--wait')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_unrevert() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--wait --max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--wait')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_undo-turns() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--wait --max-new-file-size --home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--wait')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_abort() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_session_config() {
    repeating_flags=()
    non_repeating_flags=(--default-limit --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_session_turns() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_session_delete() {
    repeating_flags=()
    non_repeating_flags=(--yes --force --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_session_gc() {
    repeating_flags=()
    non_repeating_flags=(--force --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--older-than --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--older-than')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_agent() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|remove)
        # Offer subcommand argument completions
        "_plue_agent_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list remove' -- "${cur}"))
        ;;
    esac
}

_plue_agent_add() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--env)
    non_repeating_options=(--timeout --home)
    __plue_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--timeout')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_agent_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_agent_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_land() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    enqueue|list|show|cancel|check|run)
        # Offer subcommand argument completions
        "_plue_land_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'enqueue list show cancel check run' -- "${cur}"))
        ;;
    esac
}

_plue_land_enqueue() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session --branch --onto --strategy -m --user --max-new-file-size --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    '--branch')
        return
        ;;
    '--onto')
        return
        ;;
    '--strategy')
        __plue_add_completions -W 'rebase'$'\n''merge'$'\n''squash'
        return
        ;;
    '-m')
        return
        ;;
    '--user')
        return
        ;;
    '--max-new-file-size')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_land_list() {
    repeating_flags=()
    non_repeating_flags=(--all --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_land_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_land_cancel() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_land_check() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session --branch --onto --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    '--branch')
        return
        ;;
    '--onto')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_land_run() {
    repeating_flags=()
    non_repeating_flags=(--once --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_workflow() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|run|runs|show|logs|cancel)
        # Offer subcommand argument completions
        "_plue_workflow_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list run runs show logs cancel' -- "${cur}"))
        ;;
    esac
}

_plue_workflow_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--ref --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--ref')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_workflow_run() {
    repeating_flags=()
    non_repeating_flags=(--detach --same-account --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--ref --as --home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--ref')
        return
        ;;
    '--as')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_workflow_runs() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--page --limit --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--page')
        return
        ;;
    '--limit')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_workflow_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_workflow_logs() {
    repeating_flags=()
    non_repeating_flags=(--follow --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--job --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--job')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_workflow_cancel() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_runner() {
    repeating_flags=()
    non_repeating_flags=(--same-account --once --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--as --concurrency --lease --home)
    __plue_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--as')
        return
        ;;
    '--concurrency')
        return
        ;;
    '--lease')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_branch() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    protect|unprotect|protection)
        # Offer subcommand argument completions
        "_plue_branch_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'protect unprotect protection' -- "${cur}"))
        ;;
    esac
}

_plue_branch_protect() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--require)
    non_repeating_options=(--home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--require')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_branch_unprotect() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_branch_protection() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_token() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|revoke)
        # Offer subcommand argument completions
        "_plue_token_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list revoke' -- "${cur}"))
        ;;
    esac
}

_plue_token_create() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--scope --repo)
    non_repeating_options=(--name --session --expires-in --home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--name')
        return
        ;;
    '--scope')
        __plue_add_completions -W 'read:repository'$'\n''write:repository'$'\n''read:user'$'\n''write:user'$'\n''read:admin'$'\n''write:admin'$'\n''all'
        return
        ;;
    '--repo')
        return
        ;;
    '--session')
        return
        ;;
    '--expires-in')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_token_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_token_revoke() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_audit() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list)
        # Offer subcommand argument completions
        "_plue_audit_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list' -- "${cur}"))
        ;;
    esac
}

_plue_audit_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--limit --home)
    __plue_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--limit')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_serve() {
    repeating_flags=()
    non_repeating_flags=(--runner-same-account --version -h --help)
    repeating_options=()
    non_repeating_options=(--listen --max-body-size --max-pack-size --idle-timeout --land-interval --max-failed-auth --max-git-requests --max-connections --fetch-cache-size --stop-timeout --runners --runner-account --home)
    __plue_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--listen')
        return
        ;;
    '--max-body-size')
        return
        ;;
    '--max-pack-size')
        return
        ;;
    '--idle-timeout')
        return
        ;;
    '--land-interval')
        return
        ;;
    '--max-failed-auth')
        return
        ;;
    '--max-git-requests')
        return
        ;;
    '--max-connections')
        return
        ;;
    '--fetch-cache-size')
        return
        ;;
    '--stop-timeout')
        return
        ;;
    '--runners')
        return
        ;;
    '--runner-account')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_doctor() {
    repeating_flags=()
    non_repeating_flags=(--fix --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_ssh-authorize() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--git-user --home)
    __plue_offer_flags_options 3

    # Offer option value completions
    case "${prev}" in
    '--git-user')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_ssh-serve() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--home)
    __plue_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--home')
        return
        ;;
    esac
}

_plue_sshd-config() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--git-user --home)
    __plue_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--git-user')
        return
        ;;
    '--home')
        return
        ;;
    esac
}

_plue_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __plue_offer_flags_options -1
}

complete -o filenames -F _plue plue
