"""Where the queries run: DuckDB on one machine (the default) or Apache Spark over Parquet.

The questions are the same ``queries/sql/*.sql`` files on both engines. ``schema`` knows the canonical
and findings tables' columns (from the migrations) and the Parquet layout shared by
``keytrace export parquet`` and the Spark driver; ``dialect`` translates a query's DuckDB text to Spark
SQL with sqlglot; ``spark`` runs detection and tracing on a Spark session. ``dialect`` and ``spark``
need the optional extra (``pip install 'keytrace[spark]'``); importing this package does not.
"""

ENGINES = ("duckdb", "spark")
