"""``python -m actions.check_knowledge``: refuse to start the action server without a
readable knowledge base, with a message naming the file and the command that rebuilds it."""

import sys

from knowledge.kb import KnowledgeBase, KnowledgeBaseUnavailable


def main() -> int:
    try:
        kb = KnowledgeBase()
    except KnowledgeBaseUnavailable as error:
        print(f"cannot start: {error}", file=sys.stderr)
        return 1
    print(f"knowledge base {kb.path}: {kb.counts()['programs']} programs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
