"""pytest runs from the repository root: doctests read the bundled examples by relative path."""
import os
import pathlib

os.chdir(pathlib.Path(__file__).parent)
