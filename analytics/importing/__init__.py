"""Everything a steward's file goes through before it is stored, in the order it goes:

reading_limits  the bounds every file is read within (size, cells, zip parts, time, memory)
xlsx            XLSX sheets read in bounded memory; spreadsheet: CSV/XLSX files to grids
reader_process  the reader in a child process, so a hostile file cannot hang or bloat the server
cells           one cell's Indonesian number, date or text
fields          each column's parser and the header words that name it
kinds           the five kinds of data: their columns, rules and how a row becomes store rows
header          finding the header row and mapping its columns to a kind's fields
reader          one file read into store rows, with row-level problems (problems: Problem, ReadResult)
importer        the store-aware checks, the import as one batch, and its roll-back
templates       the blank templates stewards fill in
"""
