"""HTTP throughput under load: `dealflow serve` on PostgreSQL beside the stack's floor (see bench/http_load.py).

Run: .venv/bin/python bench/http.py [--deals 100000] [--owned 10000] [--seconds 8]   (needs wrk: apt-get install -y wrk)
The last line is one JSON object with the figures.

This file is named as the issue asks, which is also the name of a standard-library package: when any
script in bench/ runs, bench/ is first on sys.path, so an ``import http`` (werkzeug's, requests') finds
this file. Imported under that name it hands the import over to the standard library's package.
"""
import os
import sys

if __name__ == "http":
    import importlib.util
    import sysconfig
    _package = os.path.join(sysconfig.get_paths()["stdlib"], "http")
    _spec = importlib.util.spec_from_file_location("http", os.path.join(_package, "__init__.py"),
                                                   submodule_search_locations=[_package])
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["http"] = _module
    _spec.loader.exec_module(_module)
elif __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from bench.http_load import main
    main()
