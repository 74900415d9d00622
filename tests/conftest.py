import os
import sys

# Test helpers shared across test folders (corpus access) live at the top of tests/.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
