-- Binary-quantised copies of the embeddings (one bit per dimension, Hamming distance): a coarse
-- index for large libraries. The k-NN runs on these, and the candidates are re-scored with the
-- exact cosine of the float vectors above.
CREATE VIRTUAL TABLE vec_clip_image_bits USING vec0(embedding bit[512]);
CREATE VIRTUAL TABLE vec_clip_text_bits USING vec0(embedding bit[512]);
CREATE VIRTUAL TABLE vec_bge_text_bits USING vec0(embedding bit[384]);
INSERT INTO vec_clip_image_bits(rowid, embedding) SELECT rowid, vec_quantize_binary(embedding) FROM vec_clip_image;
INSERT INTO vec_clip_text_bits(rowid, embedding) SELECT rowid, vec_quantize_binary(embedding) FROM vec_clip_text;
INSERT INTO vec_bge_text_bits(rowid, embedding) SELECT rowid, vec_quantize_binary(embedding) FROM vec_bge_text;
