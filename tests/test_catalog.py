"""The catalog reads whole columns and posting lists at once: what whoosh gives one by one."""
from index import schema as f
from index.build import add, build
from index.store import IndexHandle
from whoosh.query import NumericRange, Term

from search.whoosh.catalog import Catalog, _column, _docs_with
from tests.indexdata import write_report


def test_columns_read_at_once_equal_whooshs_per_document_values(tmp_path):
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.txt", "海东市测试局", 2022)
    write_report(corpus, "b.txt", "某某县农业农村局", 2021)
    build(corpus, tmp_path / "ix", workers=1)
    # A second segment, and a deleted document in the first (a replaced report).
    add([write_report(tmp_path / "new", "c.txt", "平潭综合实验区管委会", 2023),
         write_report(tmp_path / "new", "a2.txt", "海东市测试局", 2022, n=42)], tmp_path / "ix")
    with IndexHandle(tmp_path / "ix").searcher() as searcher:
        reader = searcher.reader()
        assert len(list(reader.leaf_readers())) == 2 and reader.has_deletions()
        size = reader.doc_count_all()
        for field in f.FACET_FIELDS:
            theirs = list(reader.column_reader(field, translate=True))
            ours = _column(reader, field, size)
            assert ours == theirs and len(ours) == size, field
        for field, value, query in [(f.KIND, f.KIND_SECTION, Term(f.KIND, f.KIND_SECTION)),
                                    (f.KIND, f.KIND_REPORT, Term(f.KIND, f.KIND_REPORT)),
                                    (f.FAILING, False, Term(f.FAILING, False)),
                                    (f.TEMPLATE, 2021, NumericRange(f.TEMPLATE, 2021, 2021))]:
            # Deleted documents (the replaced report's) are left out, as whoosh leaves them out.
            assert _docs_with(searcher, field, value) == sorted(searcher.docs_for_query(query)), field
        assert len(_docs_with(searcher, f.KIND, f.KIND_REPORT)) == 3
        cat = Catalog(searcher)
        assert sorted(set(cat.year[d] for d in cat.sections)) == [2021, 2022, 2023]
        assert {cat.agency[d] for d in cat.reports} == {"海东市测试局", "某某县农业农村局", "平潭综合实验区管委会"}
        # Each distinct value is one object, however many documents hold it.
        assert len({id(cat.agency[d]) for d in cat.sections}) == 3
