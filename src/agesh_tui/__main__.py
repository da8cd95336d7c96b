from agesh_tui.cli import main

raise SystemExit(main())
