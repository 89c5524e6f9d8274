"""A minimal exact matcher for names and @handles, used until the full listening matcher lands."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mentiondesk.domain.posts import InboundPost, Mention, MentionKind
from mentiondesk.domain.workspaces import Workspace


class BasicNameMatcher:
    def match(self, workspace: Workspace, post: InboundPost) -> Sequence[Mention]:
        found: list[Mention] = []
        handles = workspace.brand.handles.get(post.platform.value, ())
        for handle in handles:
            for m in re.finditer(re.escape(handle), post.text, re.IGNORECASE):
                found.append(Mention(MentionKind.DIRECT, handle, m.start(), m.end(), m.group()))
        for name in workspace.brand.names:
            pattern = r"(?<![@\w])" + re.escape(name) + r"\w*"
            for m in re.finditer(pattern, post.text, re.IGNORECASE):
                found.append(Mention(MentionKind.INDIRECT, name, m.start(), m.end(), m.group()))
        return found
