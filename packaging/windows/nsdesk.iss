; Inno Setup script for nsdesk on Windows: installs the one-folder bundle that
; `make package` builds on Windows (dist\nsdesk), adds a Start-menu entry and
; associates .nsdesk desks with nsdesk-gui.exe, so double-clicking a desk opens it.
;
;   iscc /DAppVersion=0.1.0 /DBundle=..\..\build\package\dist\nsdesk packaging\windows\nsdesk.iss
;
; AppVersion must be pyproject.toml's version (make package passes it). Sign the
; resulting installer and the executables with the ministry's code-signing
; certificate (signtool) before handing it to IT.

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z (pyproject.toml's version)
#endif
#ifndef Bundle
  #define Bundle "..\..\build\package\dist\nsdesk"
#endif

[Setup]
AppId={{6A0F4C1E-3B7D-4D9A-9E2F-5C8B1A7D0E41}
AppName=nsdesk
AppVersion={#AppVersion}
AppPublisher=nsdesk maintainers
DefaultDirName={autopf}\nsdesk
DefaultGroupName=nsdesk
PrivilegesRequiredOverridesAllowed=dialog
OutputBaseFilename=nsdesk-{#AppVersion}-setup
SetupIconFile=..\icons\nsdesk.ico
UninstallDisplayIcon={app}\nsdesk-gui.exe
ChangesAssociations=yes
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\nsdesk"; Filename: "{app}\nsdesk-gui.exe"

[Registry]
; The desk file type: .nsdesk -> nsdesk.Desk, opened by nsdesk-gui.exe "%1".
Root: HKA; Subkey: "Software\Classes\.nsdesk"; ValueType: string; ValueName: ""; ValueData: "nsdesk.Desk"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\nsdesk.Desk"; ValueType: string; ValueName: ""; ValueData: "nsdesk desk"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\nsdesk.Desk\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\nsdesk-gui.exe,0"
Root: HKA; Subkey: "Software\Classes\nsdesk.Desk\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\nsdesk-gui.exe"" ""%1"""
