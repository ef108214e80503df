-- Stories say which language they are written in (issue #6): `contentMap` on the wire and
-- `lang` on the page. Existing stories were all written in English. Same in both dialects.
ALTER TABLE stories ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE story_drafts ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
