"""Import and export of a council's workbook, open data, and LG Inform benchmarks.

- `layout`: the sheets and columns, the one description the template, export, import
  and docs/import-export.md are made from;
- `files`: reading (bounded, formula-refusing) and writing XLSX, CSV and JSON;
- `export`: the workbook from the database; `plan`: a workbook checked whole against it;
  `importing`: the plan written through the actions in one transaction, recorded;
- `opendata`: published figures for anyone; `benchmarks`: LG Inform comparisons.

It reads through `performance` and the published reports, and writes only through
the catalogue's and collection's actions (docs/development.md).
"""
