import sys

from pft_desktop.runner.process import main

sys.exit(main())
