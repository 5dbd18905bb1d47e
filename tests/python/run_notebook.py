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
# Figures show inline (the notebook must not pick a backend that hides
# them in Jupyter, such as Agg): at least one image among the outputs.
images = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {}))
if images == 0:
    print("FAIL: no figure is shown inline")
print(f"{len(nb.cells) - len(errors)} passed, {len(errors)} failed, {images} inline figures")
sys.exit(1 if errors or images == 0 else 0)
