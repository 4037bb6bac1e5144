"""Client notifications: which message a step or a reminder sends, to whom, in which words."""
