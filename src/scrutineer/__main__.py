from scrutineer.cli import main

main()
