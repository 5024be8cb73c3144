from pft_desktop.cli import main

raise SystemExit(main())
