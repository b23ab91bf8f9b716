-- An admin's selling ban is kept apart from the ban that upheld strikes impose: recomputing strikes
-- (a takedown, an appeal granted) sets selling_banned = strike ban OR selling_banned_by_admin, so a
-- manual ban is never lifted by a strike recount; only an admin lifts it.
ALTER TABLE users ADD COLUMN selling_banned_by_admin boolean NOT NULL DEFAULT false;
