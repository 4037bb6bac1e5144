"""The paper each step issues: rows → document data → PDF bytes, stored immutable with a hash."""
