# placeholder; filled in below
