from ceasefire_stats.cli import main

raise SystemExit(main())
