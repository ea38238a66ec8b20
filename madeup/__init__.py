"""Made-up annual reports, for the tests and the benchmark.

Every agency, figure and sentence here is invented; nothing is copied from a real
report. One description of a report (`layouts.MadeUp`, from `layouts.made_up(seed)`)
is printed the ways agencies publish: PDF-extracted text, Markdown, HTML
(`layouts`) and the harder shapes seen in real reports (`shapes`). `spanned`
describes one report as lines and tables of spanned cells, which `files` prints as
.txt, PDF and Word. `scale` grows such reports to realistic size and wording
(`agencies`, `wording`) for the benchmark's corpus (``python -m bench.generate``).

A test compares what the parser reads with the description the file came from. This
package depends on corpus/ only (for the template's row and column names); reportlab,
python-docx and Pillow, which `files` uses, are imported when a file is drawn.
"""
