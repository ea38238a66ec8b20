"""The whoosh index: our jieba analyzer, the schema, the atomic build, the reader handle."""
