# Sourced by perf/Benchmarks/*/instructions.sh: builds the small console each one runs under callgrind.
#
#   aot_loop_build WORK NAME PROJECT [SOURCE]
#
# WORK/Program.cs must exist. Writes WORK/NAME.csproj referencing PROJECT (and compiling SOURCE too, when given),
# publishes it with NativeAOT for x86-64-v3 (AVX2, as the JIT uses here) and leaves the binary as WORK/loop.
# NativeAOT rather than the JIT because under valgrind the JIT falls back to unoptimised code (MinOpts) for any method
# that inlines, which would count the wrong code. Name the project Proxy.Benchmarks to get at the engine's internals
# (its InternalsVisibleTo). Needs gcc, binutils and NuGet access (the first run restores the ILCompiler package).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

aot_loop_build() {
    local work="$1" name="$2" project="$3" source="${4:-}"
    local compile=""
    [ -z "$source" ] || compile="<Compile Include=\"$source\" />"
    cat > "$work/$name.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <InvariantGlobalization>true</InvariantGlobalization>
    <PublishAot>true</PublishAot>
    <IlcInstructionSet>x86-64-v3</IlcInstructionSet>
    <CppCompilerAndLinker>gcc</CppCompilerAndLinker>
    <StripSymbols>false</StripSymbols>
    <NoWarn>\$(NoWarn);IL2026;IL2104;IL3050;IL3053</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$project" />
    $compile
  </ItemGroup>
</Project>
XML
    dotnet publish "$work/$name.csproj" -c Release -r linux-x64 -o "$work/out" --artifacts-path "$work/artifacts" \
        > "$work/publish.log" 2>&1 || { cat "$work/publish.log"; return 1; }
    # valgrind 3.19 cannot read the DWARF 5 that ILC emits; the symbol table is enough to name functions.
    objcopy --strip-debug "$work/out/$name" "$work/loop"
}
