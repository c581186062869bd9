"""Views of a workspace's evidence that answers, reviews and drafts read: facts, figures, segments."""
