"""Execute the example notebook on a results file with nbclient.

    python3 run_notebook.py NOTEBOOK RESULTS.h5
"""
import os
import sys

import nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
os.environ["ANODESIM_RESULTS"] = os.path.abspath(sys.argv[2])
client = NotebookClient(nb, timeout=300, kernel_name="python3",
                        resources={"metadata": {"path": os.path.dirname(os.path.abspath(sys.argv[1]))}})
client.execute()
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
print(f"{len(nb.cells) - len(errors)} passed, {len(errors)} failed")
sys.exit(1 if errors else 0)
