-- A draft may be a reply (issue #7): the post it answers, kept until it is published.
ALTER TABLE story_drafts ADD COLUMN in_reply_to TEXT;
